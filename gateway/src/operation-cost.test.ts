import { ApolloArmor } from '@escape.tech/graphql-armor';
import { buildSchema, parse, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, test } from 'vitest';
import { operationCost } from './operation-cost.js';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    patients(first: Int, after: String): PatientConnection!
    patient(id: ID!): Patient
    recent(first: Int = 5): [Patient!]!
    note: Note
  }
  type PatientConnection {
    edges: [PatientEdge!]!
  }
  type PatientEdge {
    node: Patient!
  }
  type Patient {
    id: ID!
    mrn: String
    name: Name
    vitals(first: Int): VitalsConnection!
  }
  type Name {
    given: String
    family: String
  }
  type VitalsConnection {
    edges: [VitalsEdge!]!
  }
  type VitalsEdge {
    node: Vitals!
  }
  type Vitals {
    id: ID!
    pulse: Int
  }
  union Note = Patient | Name
`);

const SIZES = { defaultSize: 20, maxSize: 100 };

function costOf(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!operation) throw new Error('no operation');
  return operationCost(schema, document, operation, variables, SIZES);
}

/** What GraphQL Armor's own cost rule finds for a document (its validation rule, as the gateway ran it before). */
function armorCost(query: string): number {
  const found: number[] = [];
  const armor = new ApolloArmor({
    costLimit: { maxCost: Number.MAX_SAFE_INTEGER, onAccept: [(_context, { n }) => found.push(n)] },
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  expect(validate(schema, parse(query), armor.validationRules)).toEqual([]);
  return found[0]!;
}

describe('operation cost', () => {
  // Every list is given its size, so Armor, which reads only literals, counts what the gateway counts.
  const LITERAL: string[] = [
    '{ patients(first: 100) { edges { node { id mrn name { given family } } } } }',
    '{ a: patients(first: 3) { edges { node { id vitals(first: 7) { edges { node { pulse } } } } } } b: patient(id: "x") { id } }',
    '{ patients(first: 2) { edges { node { ...P ...P } } } } fragment P on Patient { id name { ...N } } fragment N on Name { given }',
    '{ note { ... on Patient { id mrn } ... on Name { family } __typename } }',
    '{ ...Q } fragment Q on Query { patient(id: "x") { id } }',
    '{ __schema { types { name } } patient(id: "x") { id } }',
    '{ patients(first: 0) { edges { node { id } } } recent(first: 4) { id } }',
  ];

  test.each(LITERAL)("is GraphQL Armor's cost for literal sizes: %s", (query) => {
    expect(costOf(query)).toBe(armorCost(query));
  });

  test('reads a list size from a variable exactly as from a literal', () => {
    const literal = costOf('{ p: patients(first: 100) { edges { node { id vitals(first: 9) { edges { node { pulse } } } } } } }');
    const variable = costOf(
      'query ($n: Int, $m: Int!) { p: patients(first: $n) { edges { node { id vitals(first: $m) { edges { node { pulse } } } } } } }',
      {
        n: 100,
        m: 9,
      },
    );
    expect(variable).toBe(literal);
    expect(variable).toBeGreaterThan(
      costOf('query ($n: Int) { p: patients(first: $n) { edges { node { id vitals(first: 9) { edges { node { pulse } } } } } } }', {
        n: 1,
      }),
    );
  });

  test("a variable left out takes its default in the operation, else the list's", () => {
    const sized = (n: number) => costOf(`{ patients(first: ${n}) { edges { node { id } } } }`);
    expect(costOf('query ($n: Int = 7) { patients(first: $n) { edges { node { id } } } }')).toBe(sized(7));
    expect(costOf('query ($n: Int) { patients(first: $n) { edges { node { id } } } }')).toBe(sized(20));
    expect(costOf('query ($n: Int = 7) { patients(first: $n) { edges { node { id } } } }', { n: null })).toBe(sized(20));
    // The schema's own default comes before the page default.
    expect(costOf('query ($n: Int) { recent(first: $n) { id } }')).toBe(costOf('{ recent(first: 5) { id } }'));
  });

  test('a size that is no whole number counts as the largest page', () => {
    const largest = costOf('{ patients(first: 100) { edges { node { id } } } }');
    for (const n of ['100', 2.5, true, { n: 1 }, [1]]) {
      expect(costOf('query ($n: Int) { patients(first: $n) { edges { node { id } } } }', { n })).toBe(largest);
    }
  });

  test('a list given no size counts as its default page', () => {
    expect(costOf('{ patients { edges { node { id } } } }')).toBe(costOf('{ patients(first: 20) { edges { node { id } } } }'));
    expect(costOf('{ patients(first: null) { edges { node { id } } } }')).toBe(costOf('{ patients(first: 20) { edges { node { id } } } }'));
    expect(costOf('{ recent { id } }')).toBe(costOf('{ recent(first: 5) { id } }'));
    // A field that takes no size is one object, as before.
    expect(costOf('{ patient(id: "x") { id } }')).toBe(armorCost('{ patient(id: "x") { id } }'));
  });

  test('walks each fragment once, however often it is spread', () => {
    const spreads = Array.from({ length: 12 }, (_, i) => `fragment F${i} on Patient { id ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `{ patient(id: "x") { ...F0 } } ${spreads} fragment F12 on Patient { id }`;
    expect(Number.isFinite(costOf(query))).toBe(true);
    expect(costOf(query)).toBe(armorCost(query));
  });
});

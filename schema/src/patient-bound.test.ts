import { ehrSchema } from '@chartbridge/ehr';
import { PATIENT_OF_EXTENSION, type DataClass, type DataClassExtension } from '@chartbridge/kit';
import { pmsSchema } from '@chartbridge/pms';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, test } from 'vitest';

/**
 * The classes of a patient's own data. A field of one of these belongs to some patient's row, so the
 * type that holds it must say whose (`patientOf`): without it the data-class plugin checks the class
 * alone, never the row, so a partner's consent or a patient's own-record limit would not apply, and
 * the access would be audited against no patient. `reference`, `operational` and `audit` are not a
 * patient's data as such (ids and structure, the practice's own scheduling and directory, the trail).
 */
const PATIENT_DATA: ReadonlySet<DataClass> = new Set<DataClass>([
  'demographic',
  'contact',
  'sensitive_identifier',
  'clinical',
  'clinical_coding',
  'sensitive_clinical',
  'coverage',
  'financial',
]);

/**
 * Where the rows reached are not one patient's, with the reason: the walk below does not start
 * there. Nothing else may be listed: a type that is a patient's says so.
 */
const NOT_ONE_PATIENTS: Readonly<Record<string, string>> = {
  'Query.revenueCycle': "aggregates over the practice's patients (analysts reach no patient's row); drill-downs are pseudonymous",
  'Query.payers': 'the directory of payers: insurers, no patient',
  'Mutation.postRemittance': "a payer's payment advice over many patients' claims; each of its lines says whose it is",
  'Mutation.submitClaim': "its scrub findings are about the one claim the write policy has just decided on its patient's row",
};

function declaresPatient(type: GraphQLObjectType): boolean {
  return type.extensions[PATIENT_OF_EXTENSION] === true;
}

/** Every object type a field's type can be: through lists and non-null, a union's members, an interface's. */
function objectTypesOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): GraphQLObjectType[] {
  const named = getNamedType(field.type);
  if (isObjectType(named)) return [named];
  if (isUnionType(named) || isInterfaceType(named)) return [...schema.getPossibleTypes(named)];
  return [];
}

/**
 * The object types holding a field of a patient's data whose row nobody checks. The rule: such a
 * type declares `patientOf`, unless every way to reach it passes a type that does (a value inside a
 * patient's row, such as a claim's balance: the field that led to it decided the row). The walk
 * starts at every root field (queries, mutations' answers) and every entity (which the gateway can
 * ask for by key), and goes on only through types that declare no patient.
 */
function unboundTypes(schema: GraphQLSchema, bound: (type: GraphQLObjectType) => boolean = declaresPatient): Record<string, string[]> {
  const queue: GraphQLObjectType[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      if (!field.name.startsWith('_') && !(`${root.name}.${field.name}` in NOT_ONE_PATIENTS)) queue.push(...objectTypesOf(schema, field));
    }
  }
  const entities = schema.getType('_Entity');
  if (entities && isUnionType(entities)) queue.push(...entities.getTypes());
  const seen = new Set<string>();
  const unbound: Record<string, string[]> = {};
  for (let type = queue.shift(); type; type = queue.shift()) {
    if (seen.has(type.name) || type.name.startsWith('_') || bound(type)) continue;
    seen.add(type.name);
    const fields = Object.values(type.getFields());
    const patientData = fields
      .filter((f) => {
        const declared = f.extensions['dataClass'] as DataClassExtension | undefined;
        return declared !== undefined && (PATIENT_DATA.has(declared.dataClass) || declared.mayBeSensitive);
      })
      .map((f) => f.name);
    if (patientData.length > 0) unbound[type.name] = patientData;
    for (const field of fields) queue.push(...objectTypesOf(schema, field));
  }
  return unbound;
}

describe.each([
  ['pms', pmsSchema],
  ['ehr', ehrSchema],
])('the %s subgraph', (_name, schema) => {
  test("declares the patient of every type that holds a patient's data", () => {
    expect(unboundTypes(schema())).toEqual({});
  });
});

test("the walk finds a type that holds a patient's data and says not whose", () => {
  // The EHR's Encounter without its patient: what let a partner read documentationStatus unconsented.
  const withoutEncounters = (type: GraphQLObjectType) => type.name !== 'Encounter' && declaresPatient(type);
  const unbound = unboundTypes(ehrSchema(), withoutEncounters);
  expect(unbound).toMatchObject({ Encounter: expect.arrayContaining(['documentationStatus', 'notes']) });
});

test('the check sees the declarations it relies on', () => {
  const ehr = ehrSchema();
  const note = ehr.getType('ClinicalNote');
  expect(isObjectType(note) && note.extensions[PATIENT_OF_EXTENSION]).toBe(true);
  const encounter = ehr.getType('Encounter');
  expect(isObjectType(encounter) && encounter.extensions[PATIENT_OF_EXTENSION]).toBe(true);
});

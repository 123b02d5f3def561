import { buildSchema } from 'graphql';
import { describe, expect, test } from 'vitest';
import { checkIdArguments } from './ids.js';

const schema = buildSchema(`
  input Line { claimId: ID!, note: String }
  input Pay { patientId: ID!, claimId: ID, others: [ID!], lines: [Line!], label: String }
  type Query { ok: Boolean }
  type Mutation { pay(input: Pay!, extra: ID): Boolean }
`);
const args = schema.getMutationType()!.getFields()['pay']!.args;
const A = 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA';

describe('checkIdArguments', () => {
  test('accepts UUIDs in any case and lower-cases them in place', () => {
    const input = { patientId: A, claimId: null, others: [A], lines: [{ claimId: A, note: 'NOT-AN-ID' }], label: 'x' };
    const values: Record<string, unknown> = { input, extra: A };
    expect(checkIdArguments(values, args)).toBeNull();
    expect(values).toEqual({
      input: {
        patientId: A.toLowerCase(),
        claimId: null,
        others: [A.toLowerCase()],
        lines: [{ claimId: A.toLowerCase(), note: 'NOT-AN-ID' }],
        label: 'x',
      },
      extra: A.toLowerCase(),
    });
  });

  test.each([
    [{ input: { patientId: 'nope' } }, { path: 'input.patientId', name: 'patientId' }],
    [{ input: { patientId: A, claimId: '1' } }, { path: 'input.claimId', name: 'claimId' }],
    [{ input: { patientId: A, others: [A, 'x'] } }, { path: 'input.others', name: 'others' }],
    [{ input: { patientId: A, lines: [{ claimId: A }, { claimId: 'x' }] } }, { path: 'input.lines.1.claimId', name: 'claimId' }],
    [
      { input: { patientId: A }, extra: '' },
      { path: 'extra', name: 'extra' },
    ],
  ])('names the first id that is not a UUID: %j', (values, expected) => {
    expect(checkIdArguments(values, args)).toEqual(expected);
  });
});

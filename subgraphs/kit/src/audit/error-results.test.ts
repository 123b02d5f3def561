import { buildSchema, graphql } from 'graphql';
import { describe, expect, test } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../mutation-errors.js';
import { errorResultCodes, noteErrorResults } from './error-results.js';

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Mutation { refuse: Boolean  check: Boolean  conflict: Boolean  succeed: Boolean  fail: Boolean }
`);
const values: Record<string, () => unknown> = {
  refuse: () => new ForbiddenError('No'),
  check: async () => new ValidationError('Bad', 'input.x'),
  conflict: () => Promise.resolve(new ConflictError('Taken')),
  succeed: () => true,
  fail: async () => {
    throw new Error('boom');
  },
};
for (const [name, resolve] of Object.entries(values)) schema.getMutationType()!.getFields()[name]!.resolve = resolve;
noteErrorResults(schema);
// Instrumenting twice must not wrap twice.
noteErrorResults(schema);

describe('error results noted per request', () => {
  test('notes the code of every error result a root mutation field answered with, sync or async', async () => {
    const context = {};
    // Booleans stand in for the result unions: the note is taken from the resolver's value.
    await graphql({ schema, source: 'mutation { refuse check conflict succeed }', contextValue: context });
    expect([...errorResultCodes(context)].sort()).toEqual(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN']);
  });

  test('notes nothing for a success or a thrown error, and nothing for another request', async () => {
    const context = {};
    const result = await graphql({ schema, source: 'mutation { succeed fail }', contextValue: context });
    expect(result.errors?.map((e) => e.message)).toEqual(['boom']);
    expect(errorResultCodes(context)).toEqual([]);
    expect(errorResultCodes({})).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { AccessControl } from './auth/access-control.js';
import { baseContext } from './context.js';
import { alignByKey, defineLoader, groupByKey } from './loaders.js';

const access = new AccessControl({
  subject: 'u1',
  role: 'clinician',
  scopes: [],
  patientId: null,
  partnerId: null,
  providerId: null,
  purpose: 'TREATMENT',
  breakGlassReason: null,
  client: null,
});

describe('request-scoped loaders', () => {
  test('batches every key asked for in one tick into one call', async () => {
    const calls: string[][] = [];
    const byId = defineLoader(async (_ctx, keys: readonly string[]) => {
      calls.push([...keys]);
      return keys.map((k) => k.toUpperCase());
    });
    const ctx = baseContext('r1', access);
    const values = await Promise.all(['a', 'b', 'c', 'a'].map((k) => byId(ctx).load(k)));
    expect(values).toEqual(['A', 'B', 'C', 'A']);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  test('never shares a cache between two requests', async () => {
    let calls = 0;
    const byId = defineLoader(async (_ctx, keys: readonly string[]) => {
      calls += 1;
      return keys;
    });
    await byId(baseContext('r1', access)).load('a');
    await byId(baseContext('r2', access)).load('a');
    expect(calls).toBe(2);
  });

  test('aligns rows to keys, null for a missing key', () => {
    expect(alignByKey(['x', 'y', 'z'], [{ id: 'z' }, { id: 'x' }], (r) => r.id)).toEqual([{ id: 'x' }, null, { id: 'z' }]);
  });

  test('groups rows under keys, [] for a key with none', () => {
    const rows = [
      { p: 'a', n: 1 },
      { p: 'b', n: 2 },
      { p: 'a', n: 3 },
    ];
    expect(groupByKey(['a', 'b', 'c'], rows, (r) => r.p)).toEqual([[rows[0], rows[2]], [rows[1]], []]);
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { composeSupergraph } from './compose.js';

describe('committed schema files', () => {
  const files = composeSupergraph();

  test.each(Object.keys(files))('schema/%s matches the code (run `pnpm compose` after changing the schema)', async (name) => {
    const committed = await readFile(new URL(`../${name}`, import.meta.url), 'utf8');
    expect(committed).toBe(files[name]);
  });

  test('the client-facing API schema carries no federation internals', () => {
    const api = files['api.graphql'] ?? '';
    expect(api).not.toMatch(/_entities|_service|@key|@link|join__|_Any/);
    expect(api).toContain('type Query');
  });
});

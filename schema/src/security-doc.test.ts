import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { policyTable } from './policy-manifest.js';

test('docs/SECURITY.md shows the policy table exactly as the code declares it', async () => {
  const doc = await readFile(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
  expect(doc).toContain(policyTable());
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';

/** The TypeScript sources (not tests) under a directory of the repository. */
function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

describe('conventions of the services', () => {
  test('every transaction of the subgraphs runs through inTransaction, which reruns one PostgreSQL cancelled for a deadlock', () => {
    const direct = ['subgraphs/pms/src', 'subgraphs/ehr/src', 'subgraphs/kit/src']
      .flatMap(sources)
      .filter((file) => /\.transaction\(\)/.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
    expect(direct).toEqual([]);
  });
});

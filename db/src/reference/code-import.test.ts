import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../connection.js';
import { migrateAll } from '../migrator.js';
import type { EhrCodingTables } from '../tables/ehr-coding.tables.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../testing/test-database.js';
import { importReferenceCodes } from './code-import.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// eslint-disable-next-line no-restricted-properties -- a test hands its own PATH to the command it spawns
const COMMAND_PATH = process.env['PATH'] ?? '';

describe('loading a code set', () => {
  let database: TestDatabase;
  let owner: Database<EhrCodingTables>;

  beforeAll(async () => {
    database = await freshDatabase();
    owner = createDatabase<EhrCodingTables>({ target: database.target, applicationName: 'codes-test' });
    await migrateAll(owner.db);
  });

  afterAll(async () => {
    await owner?.close();
    await database?.drop();
  });

  async function description(code: string): Promise<string | undefined> {
    const { rows } = await sql<{
      description: string;
    }>`select description from ehr.code_reference where system = 'icd10cm' and code = ${code}`.execute(owner.db);
    return rows[0]?.description;
  }

  test('adds new codes and refreshes known ones, in one transaction', async () => {
    expect(await description('A00.0')).toBeUndefined();
    const written = await importReferenceCodes(owner.db, 'icd10cm', [
      { code: 'A00.0', description: 'Cholera due to Vibrio cholerae 01, biovar cholerae' },
      { code: 'I10', description: 'Essential (primary) hypertension (2026 release)' },
    ]);
    expect(written).toBe(2);
    expect(await description('A00.0')).toBe('Cholera due to Vibrio cholerae 01, biovar cholerae');
    expect(await description('I10')).toBe('Essential (primary) hypertension (2026 release)');
  });

  test.skipIf(!SERVER_URL)('`pnpm codes:import` loads a release file and refuses one it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chartbridge-codes-'));
    const url = database.kind === 'server' ? database.url : '';
    const run = (args: string[]) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        // Only the database the test made: no other setting of this process leaks into the command.
        const child = spawn(process.execPath, ['--import', 'tsx', 'db/src/reference/code-import-command.ts', ...args], {
          cwd: ROOT,
          env: { PATH: COMMAND_PATH, DATABASE_URL: url },
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('exit', (code) => resolve({ code, output }));
      });
    try {
      await writeFile(join(dir, 'codes.txt'), 'A0101   Typhoid meningitis\nZ3A01   Less than 8 weeks gestation of pregnancy\n');
      const ok = await run(['--', '--system', 'icd10cm', '--file', join(dir, 'codes.txt')]);
      expect(ok).toMatchObject({ code: 0, output: expect.stringMatching(/imported 2 icd10cm codes \(icd10cm-codes\)/) });
      expect(await description('A01.01')).toBe('Typhoid meningitis');
      await writeFile(join(dir, 'bad.txt'), 'I10     fine\n???\n');
      const bad = await run(['--system', 'icd10cm', '--file', join(dir, 'bad.txt')]);
      expect(bad).toMatchObject({ code: 1, output: expect.stringMatching(/line 2: expected a code and its description/) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

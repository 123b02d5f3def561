import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../connection.js';
import { migrateAll } from '../migrator.js';
import type { AuditDatabase } from '../tables/audit.tables.js';
import { appendAudit, type AuditRecord } from './audit-chain.js';
import { asTamperer } from './audit-tampering.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../testing/test-database.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A value no output line may contain: the command prints positions and ids, never row contents.
const ACTOR = `actor-${randomUUID()}`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pnpm audit:verify` as `pnpm` would, through tsx, with only the given settings. */
async function runVerify(env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'db/src/audit/audit-verify-command.ts'], {
    cwd: REPO_ROOT,
    // Node is started by its absolute path and tsx loads in-process: the child needs no PATH.
    env: { NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  return { code, stdout, stderr };
}

function record(): AuditRecord {
  return {
    action: 'patient.access',
    requestId: randomUUID(),
    actorId: ACTOR,
    role: 'clinician',
    outcome: 'success',
    patientId: randomUUID(),
  };
}

describe('pnpm audit:verify on embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chartbridge-audit-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('migrates an empty database and reports its chains intact', async () => {
    const run = await runVerify({ CHARTBRIDGE_DATA_DIR: dataDir });
    expect(run).toMatchObject({ code: 0, stdout: 'audit chains intact: gateway 0, pms 0, ehr 0 rows\n' });
  });
});

describe.skipIf(!SERVER_URL)('pnpm audit:verify on a server', () => {
  let database: TestDatabase & { kind: 'server' };
  let owner: Database<AuditDatabase>;

  beforeAll(async () => {
    database = (await freshDatabase()) as TestDatabase & { kind: 'server' };
    owner = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'audit-verify-command-test' });
    await migrateAll(owner.db);
    await appendAudit(owner.db, 'gateway', [record()]);
    await appendAudit(owner.db, 'pms', [record(), record(), record()]);
    await appendAudit(owner.db, 'ehr', [record(), record()]);
  });

  afterAll(async () => {
    await owner?.close();
    await database?.drop();
  });

  test('exits 0 and prints the row count of each chain when every chain is intact', async () => {
    const run = await runVerify({ DATABASE_URL: database.url });
    expect(run).toEqual({ code: 0, stdout: 'audit chains intact: gateway 1, pms 3, ehr 2 rows\n', stderr: '' });
  });

  test('exits 1 naming the first broken link, and prints no row contents', async () => {
    const edited = await owner.db
      .selectFrom('audit.event')
      .select('id')
      .where('chain', '=', 'pms')
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    await asTamperer(owner.db, async (trx) => {
      await sql`update audit.event set outcome = 'denied' where chain in ('pms', 'ehr') and seq = 2`.execute(trx);
    });

    const run = await runVerify({ DATABASE_URL: database.url });
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `audit chain pms broken at seq 2 (id ${edited.id}): hash mismatch (row edited)\n`,
    });
    expect(run.stdout + run.stderr).not.toContain(ACTOR);
  });

  test('exits 2 when the database cannot be reached', async () => {
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    const run = await runVerify({ DATABASE_URL: unreachable.toString() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit verify failed: /);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDatabase,
  migrateAll,
  migrationProgressOf,
  openEmbeddedPostgres,
  refreshReportTables,
  reportTableNames,
  useReportsTimeZone,
  type Database,
  type DatabaseTarget,
  type EhrDatabase,
  type PmsDatabase,
} from '@chartbridge/db';
import { logMigrationProgress, type LogFields, type Logger } from '@chartbridge/kit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_TIME_ZONE, insertRevenueCycleFixture } from '../support/revenue-cycle-fixture.js';
import { startProcess } from '../support/processes.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';

// A practice upgrading to the reports schema already has its claims and encounters: the reports
// migration fills the derived tables from them, in batches, and says how far it is with notices
// that the migrating process logs (a service) or shows as a progress bar (a command). On PostgreSQL
// and on embedded PGlite.

type Db = PmsDatabase & EhrDatabase;

/** Every derived table's rows as text, in a stable order. */
async function snapshot(db: Kysely<Db>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await reportTableNames(db)) {
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t order by 1`.execute(db);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

async function count(db: Kysely<Db>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** A database with the fixture's claims and encounters as they were before the reports schema existed. */
async function withoutReportsSchema(target: DatabaseTarget): Promise<{ claims: number; encounters: number }> {
  const owner = createDatabase<Db>({ target, applicationName: 'reports-backfill-setup' });
  try {
    await migrateAll(owner.db);
    await insertRevenueCycleFixture(owner.db);
    await sql`drop schema reports cascade`.execute(owner.db);
    return { claims: await count(owner.db, 'pms.claim'), encounters: await count(owner.db, 'pms.encounter') };
  } finally {
    await owner.close();
  }
}

describe('the reports migration on a database that already has claims', () => {
  let database: TestDatabase;
  let owner: Database<Db>;
  let migrating: Database<Db>;
  const notices: string[] = [];
  const logged: Array<{ event: string; fields: LogFields | undefined }> = [];

  beforeAll(async () => {
    database = await freshDatabase();
    // As before the reports schema existed: the sources hold their rows, nothing is derived.
    await withoutReportsSchema(database.target);
    owner = createDatabase<Db>({ target: database.target, applicationName: 'reports-backfill-test' });
    const logger: Logger = {
      debug: () => {},
      info: (event, fields) => logged.push({ event, fields }),
      warn: () => {},
      error: () => {},
    };
    const log = logMigrationProgress(logger);
    migrating = createDatabase<Db>({
      target: database.kind === 'server' ? { kind: 'server', url: database.url, poolSize: 1 } : database.target,
      applicationName: 'reports-backfill-migrate',
      onNotice: (notice) => {
        notices.push(notice);
        log(notice);
      },
    });
  });

  afterAll(async () => {
    await migrating?.close();
    await owner?.close();
    await database?.drop();
  });

  test('fills the derived tables from every claim and encounter, exactly as a recompute does', async () => {
    const applied = await migrateAll(migrating.db);
    expect(applied.filter((name) => name.startsWith('reports/'))).toHaveLength(3);
    await useReportsTimeZone(owner.db, FIXTURE_TIME_ZONE);
    const claims = await count(owner.db, 'pms.claim');
    expect(claims).toBeGreaterThan(10);
    expect(await count(owner.db, 'reports.claim_fact')).toBe(claims);
    const backfilled = await snapshot(owner.db);
    await owner.db.transaction().execute((trx) => refreshReportTables(trx));
    expect(backfilled).toEqual(await snapshot(owner.db));
  });

  test('reports its progress as notices, counts only, ending at the totals', async () => {
    const claims = await count(owner.db, 'pms.claim');
    const encounters = await count(owner.db, 'pms.encounter');
    const progress = notices.map(migrationProgressOf).filter((p) => p !== null);
    expect(progress.filter((p) => p.step === 'reports backfill: claims').at(-1)).toEqual({
      step: 'reports backfill: claims',
      done: claims,
      total: claims,
    });
    expect(progress.filter((p) => p.step === 'reports backfill: encounters').at(-1)).toEqual({
      step: 'reports backfill: encounters',
      done: encounters,
      total: encounters,
    });
    // The process logs a step's first batch, then at most a line every 2 s, and its last: here one batch each.
    expect(logged).toEqual([
      { event: 'migration.progress', fields: { step: 'reports backfill: claims', done: claims, total: claims } },
      { event: 'migration.progress', fields: { step: 'reports backfill: encounters', done: encounters, total: encounters } },
    ]);
  });

  test('a second run applies nothing and says nothing', async () => {
    const before = notices.length;
    expect(await migrateAll(migrating.db)).toEqual([]);
    expect(
      notices
        .slice(before)
        .map(migrationProgressOf)
        .filter((p) => p !== null),
    ).toEqual([]);
  });
});

describe('a command that migrates such a database', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chartbridge-backfill-'));
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('shows the backfill as progress bars on stderr, counts only, then does its own work', async () => {
    let env: Record<string, string>;
    let sizes: { claims: number; encounters: number };
    if (SERVER_URL) {
      const fresh = await freshDatabase();
      database = fresh;
      if (fresh.kind !== 'server') throw new Error('DATABASE_URL is set: expected a server database');
      sizes = await withoutReportsSchema(fresh.target);
      env = { DATABASE_URL: fresh.url };
    } else {
      // The embedded database `pnpm start` keeps, in a directory of its own.
      const pglite = await openEmbeddedPostgres({ dataDir });
      try {
        sizes = await withoutReportsSchema({ kind: 'embedded', pglite });
      } finally {
        await pglite.close();
      }
      env = { CHARTBRIDGE_DATA_DIR: dataDir };
    }
    expect(sizes.claims).toBeGreaterThan(10);
    // `pnpm audit:verify` migrates what it opens before it walks the chains.
    const run = startProcess('db/src/audit/audit-verify-command.ts', [], env);
    expect(await run.exited).toBe(0);
    const stderr = run.output().replace(run.stdout(), '');
    // Not a terminal: a line per tenth of the way; the fixture fits in one batch a step.
    expect(
      stderr
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.replace(/, [\d.]+s\)$/, ')')),
    ).toEqual([
      `migrating: reports backfill: claims: 100% (${sizes.claims}/${sizes.claims})`,
      `migrating: reports backfill: encounters: 100% (${sizes.encounters}/${sizes.encounters})`,
    ]);
    expect(run.stdout()).toBe('audit chains intact: gateway 0, pms 0, ehr 0 rows\n');
  });
});

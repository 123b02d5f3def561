import { createDatabase, migrateAll, migrationProgressOf, refreshReportTables, reportTableNames, useReportsTimeZone, type Database, type EhrDatabase, type PmsDatabase } from '@chartbridge/db';
import { logMigrationProgress, type LogFields, type Logger } from '@chartbridge/kit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_TIME_ZONE, insertRevenueCycleFixture } from './support/revenue-cycle-fixture.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from './support/test-database.js';

// A practice upgrading to the reports schema already has its claims and encounters: the reports
// migration fills the derived tables from them, in batches, and says how far it is with notices
// that the migrating process logs. Notices are a server feature: PostgreSQL only.

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

describe.skipIf(!SERVER_URL)('the reports migration on a database that already has claims', () => {
  let database: TestDatabase & { kind: 'server' };
  let owner: Database<Db>;
  let migrating: Database<Db>;
  const notices: string[] = [];
  const logged: Array<{ event: string; fields: LogFields | undefined }> = [];

  beforeAll(async () => {
    database = (await freshDatabase()) as TestDatabase & { kind: 'server' };
    owner = createDatabase<Db>({ target: database.target, applicationName: 'reports-backfill-test' });
    await migrateAll(owner.db);
    await insertRevenueCycleFixture(owner.db);
    // As before the reports schema existed: the sources hold their rows, nothing is derived.
    await sql`drop schema reports cascade`.execute(owner.db);
    const logger: Logger = {
      debug: () => {},
      info: (event, fields) => logged.push({ event, fields }),
      warn: () => {},
      error: () => {},
    };
    const log = logMigrationProgress(logger);
    migrating = createDatabase<Db>({
      target: { kind: 'server', url: database.url, poolSize: 1 },
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
    expect(progress.filter((p) => p.step === 'reports backfill: claims').at(-1)).toEqual({ step: 'reports backfill: claims', done: claims, total: claims });
    expect(progress.filter((p) => p.step === 'reports backfill: encounters').at(-1)).toEqual({ step: 'reports backfill: encounters', done: encounters, total: encounters });
    // The process logs a step's first batch, then at most a line every 2 s, and its last: here one batch each.
    expect(logged).toEqual([
      { event: 'migration.progress', fields: { step: 'reports backfill: claims', done: claims, total: claims } },
      { event: 'migration.progress', fields: { step: 'reports backfill: encounters', done: encounters, total: encounters } },
    ]);
  });

  test('a second run applies nothing and says nothing', async () => {
    const before = notices.length;
    expect(await migrateAll(migrating.db)).toEqual([]);
    expect(notices.slice(before).map(migrationProgressOf).filter((p) => p !== null)).toEqual([]);
  });
});

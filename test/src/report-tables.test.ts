import { DATABASE_ROLES, createDatabase, deferReportTables, migrateAll, refreshReportTables, reportTableNames, type Database, type EhrDatabase, type PmsDatabase } from '@chartbridge/db';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertRevenueCycleFixture, type RevenueCycleFixture } from './support/revenue-cycle-fixture.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from './support/test-database.js';

// The reports schema (db/src/migrations/reports) derives its tables from the claims, postings and
// documentation through statement triggers. Whatever a write does, the derived rows must be exactly
// what a recompute from scratch gives: each test below writes like a service, the seed or a support
// engineer would, then compares every derived table with a full recompute of the same data.

type Db = PmsDatabase & EhrDatabase;

let database: TestDatabase;
let owner: Database<Db>;
let fx: RevenueCycleFixture;

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<Db>({ target: database.target, applicationName: 'report-tables-test' });
  await migrateAll(owner.db);
  // The fixture writes row by row, in every source table, pms and ehr alike: the triggers keep up.
  fx = await insertRevenueCycleFixture(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

const ROLLUPS: readonly string[] = ['reports.daily', 'reports.daily_total', 'reports.monthly', 'reports.encounter_daily', 'reports.encounter_monthly'];

/** Every derived table's rows, in a stable order; the rollups without the keys whose sums all went back to 0. */
async function snapshot(db: Kysely<Db>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of await reportTableNames(db)) {
    const zero =
      ROLLUPS.includes(table)
        ? table.startsWith('reports.encounter_')
          ? sql`where encounters <> 0`
          : sql`where not (charges_cents = 0 and lines = 0 and units = 0 and payer_paid_cents = 0 and patient_paid_cents = 0 and contractual_cents = 0
                 and adjudicated_lines = 0 and denied_lines = 0 and postings = 0 and charged_claims = 0 and adjudicated_claims = 0 and denied_claims = 0)`
        : sql``;
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t ${zero} order by 1`.execute(db);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/** The derived tables as the triggers left them equal a recompute of every claim. */
async function expectMatchesRecompute(): Promise<Record<string, unknown[]>> {
  const kept = await snapshot(owner.db);
  await owner.db.transaction().execute((trx) => refreshReportTables(trx));
  const recomputed = await snapshot(owner.db);
  expect(kept).toEqual(recomputed);
  return recomputed;
}

async function balanceOn(claimId: string, day: string): Promise<number | null> {
  const { rows } = await sql<{ balance: string }>`select balance_cents::text as balance from reports.ar_span where claim_id = ${claimId}::uuid and (from_day is null or from_day <= ${day}::date) and (to_day is null or to_day > ${day}::date)`.execute(owner.db);
  return rows[0] ? Number(rows[0].balance) : null;
}

async function findings(claimId: string): Promise<string[]> {
  const { rows } = await sql<{ rule: string }>`select rule from reports.compliance_finding where claim_id = ${claimId}::uuid order by rule, line_number`.execute(owner.db);
  return rows.map((r) => r.rule);
}

describe('the reports tables, kept by triggers', () => {
  test('after the fixture, written row by row, they equal a recompute and none is empty', async () => {
    const tables = await expectMatchesRecompute();
    expect(Object.keys(tables)).toHaveLength(11);
    for (const [table, rows] of Object.entries(tables)) expect(rows.length, table).toBeGreaterThan(0);
    // C2: charged 195.00, paid 150.00 and CO-45 30.00 on 02-10 (its denied line's adjustments move nothing).
    expect(await balanceOn(fx.claims.C2, '2026-02-09')).toBe(19500);
    expect(await balanceOn(fx.claims.C2, '2026-02-10')).toBe(1500);
    // C7 was never submitted, C8 is void: neither is in A/R.
    expect(await balanceOn(fx.claims.C7, '2026-12-31')).toBeNull();
    expect(await balanceOn(fx.claims.C8, '2026-02-15')).toBeNull();
  });

  test('a payment dated between two earlier postings splits the claim A/R history where it belongs', async () => {
    // C9: 125.00 charged, 90.00 paid + CO-45 25.00 on 03-10, the patient's 4.00 on 03-15: 6.00 owed after.
    await owner.db.insertInto('pms.patient_payment').values({ patient_id: fx.patients['pat6'] ?? '', claim_id: fx.claims.C9, amount_cents: 200, method: 'cash', received_on: '2026-03-12', posted_by: 'test' }).execute();
    expect(await balanceOn(fx.claims.C9, '2026-03-11')).toBe(1000);
    expect(await balanceOn(fx.claims.C9, '2026-03-12')).toBe(800);
    expect(await balanceOn(fx.claims.C9, '2026-03-15')).toBe(400);
    await expectMatchesRecompute();
  });

  test('deleting a posting gives the balance back', async () => {
    await owner.db.deleteFrom('pms.patient_payment').where('claim_id', '=', fx.claims.C9).where('received_on', '=', '2026-03-12').execute();
    expect(await balanceOn(fx.claims.C9, '2026-03-12')).toBe(1000);
    await expectMatchesRecompute();
  });

  test('voiding a claim takes it out of A/R and its charges out of the day it was served', async () => {
    const charges = async () => {
      const { rows } = await sql<{ c: string }>`select coalesce(sum(charges_cents), 0)::text as c from reports.daily where day = '2026-03-25' and not is_void`.execute(owner.db);
      return Number(rows[0]?.c);
    };
    expect(await charges()).toBe(12500);
    expect(await balanceOn(fx.claims.C6, '2026-04-01')).toBe(12500);
    await owner.db.updateTable('pms.claim').set({ status: 'void' }).where('id', '=', fx.claims.C6).execute();
    expect(await charges()).toBe(0);
    expect(await balanceOn(fx.claims.C6, '2026-04-01')).toBeNull();
    await expectMatchesRecompute();
  });

  test("moving an encounter's date of service ages its claim from the new date", async () => {
    await owner.db.updateTable('pms.encounter').set({ service_date: '2026-01-31' }).where('id', '=', fx.encounters.C5).execute();
    const { rows } = await sql<{ d: string }>`select service_date::text as d from reports.ar_span where claim_id = ${fx.claims.C5}::uuid`.execute(owner.db);
    expect(rows.map((r) => r.d)).toContain('2026-01-31');
    await expectMatchesRecompute();
  });

  test('signing the documentation in the EHR clears the findings it caused; a coding addendum after submission adds one', async () => {
    // C14's only note is unsigned: its 1,200.00 line is high-dollar and undocumented.
    expect(await findings(fx.claims.C14)).toEqual(expect.arrayContaining(['HIGH_DOLLAR_UNDOCUMENTED', 'UNSIGNED_DOCUMENTATION']));
    const note = await owner.db.selectFrom('ehr.clinical_note').select('id').where('encounter_id', '=', fx.encounters.C14).executeTakeFirstOrThrow();
    await owner.db.updateTable('ehr.clinical_note').set({ status: 'signed', signed_at: '2026-04-02T18:00:00-04:00', signed_by: fx.providers.P2 }).where('id', '=', note.id).execute();
    expect(await findings(fx.claims.C14)).not.toEqual(expect.arrayContaining(['UNSIGNED_DOCUMENTATION']));
    expect(await findings(fx.claims.C14)).not.toEqual(expect.arrayContaining(['HIGH_DOLLAR_UNDOCUMENTED']));
    const providerId = fx.providers.P2;
    await owner.db.insertInto('ehr.note_addendum').values({ note_id: note.id, author_id: providerId, text: 'Corrected the procedure.', recorded_by: 'test', created_at: '2026-05-01T10:00:00-04:00', changes_coding: true }).execute();
    expect(await findings(fx.claims.C14)).toContain('DOCUMENTED_AFTER_SUBMISSION');
    await expectMatchesRecompute();
  });

  test("cancelling an encounter takes it out of its provider's count of the day and the month", async () => {
    const count = async (table: 'reports.encounter_daily' | 'reports.encounter_monthly', column: 'day' | 'month', on: string) => {
      const { rows } = await sql<{ n: string }>`select coalesce(sum(encounters), 0)::text as n from ${sql.table(table)} where ${sql.ref(column)} = ${on}::date and provider_id = ${fx.providers.P1}::uuid`.execute(owner.db);
      return Number(rows[0]?.n);
    };
    // P1's encounter of 03-05 has no claim; P1's March also holds C6's (03-25).
    const [day, month] = [await count('reports.encounter_daily', 'day', '2026-03-05'), await count('reports.encounter_monthly', 'month', '2026-03-01')];
    expect(day).toBe(1);
    await owner.db.updateTable('pms.encounter').set({ status: 'cancelled' }).where('provider_id', '=', fx.providers.P1).where('service_date', '=', '2026-03-05').execute();
    expect(await count('reports.encounter_daily', 'day', '2026-03-05')).toBe(0);
    expect(await count('reports.encounter_monthly', 'month', '2026-03-01')).toBe(month - 1);
    await expectMatchesRecompute();
  });

  test('a bulk load with the triggers set aside writes no derived row until the recompute', async () => {
    await owner.db.transaction().execute(async (trx) => {
      await deferReportTables(trx);
      await trx.insertInto('pms.patient_payment').values({ patient_id: fx.patients['pat1'] ?? '', claim_id: fx.claims.C2, amount_cents: 1500, method: 'card', received_on: '2026-03-01', posted_by: 'test' }).execute();
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from reports.claim_day where claim_id = ${fx.claims.C2}::uuid and day = '2026-03-01'`.execute(trx);
      expect(rows[0]?.n).toBe(0);
      await refreshReportTables(trx);
    });
    expect(await balanceOn(fx.claims.C2, '2026-03-01')).toBeNull();
    await expectMatchesRecompute();
  });
});

// Roles are a server's: the embedded PGlite runs one session as its superuser.
describe.skipIf(!SERVER_URL)('who may touch them, on a real server', () => {
  test('the reports role reads them but can neither write nor recompute', async () => {
    const reports = createDatabase<Db>({ target: database.target, role: DATABASE_ROLES.reports, applicationName: 'report-tables-reader' });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from reports.ar_span`.execute(reports.db);
      expect(rows[0]?.n).toBeGreaterThan(0);
      await expect(sql`delete from reports.ar_span`.execute(reports.db)).rejects.toThrow(/permission denied/);
      await expect(sql`select reports.refresh_claims(array[${fx.claims.C1}]::uuid[])`.execute(reports.db)).rejects.toThrow(/permission denied/);
    } finally {
      await reports.close();
    }
  });

  test("a service's role fires the triggers it cannot call itself", async () => {
    const pms = createDatabase<Db>({ target: database.target, role: DATABASE_ROLES.pms, applicationName: 'report-tables-pms' });
    try {
      await pms.db.insertInto('pms.patient_payment').values({ patient_id: fx.patients['pat1'] ?? '', claim_id: fx.claims.C11, amount_cents: 5000, method: 'card', received_on: '2026-02-01', posted_by: 'test' }).execute();
      await expect(sql`select reports.refresh_claims(array[${fx.claims.C1}]::uuid[])`.execute(pms.db)).rejects.toThrow(/permission denied/);
    } finally {
      await pms.close();
    }
    // C11: 250.00 - 150.00 - CO-45 50.00 on 01-25, the patient's 50.00 on 02-01: settled.
    expect(await balanceOn(fx.claims.C11, '2026-02-01')).toBeNull();
    await expectMatchesRecompute();
  });
});

import {
  DATABASE_ROLES,
  createDatabase,
  deferReportTables,
  migrateAll,
  refreshReportTables,
  reportTableNames,
  useReportsTimeZone,
  type Database,
  type EhrDatabase,
  type PmsDatabase,
} from '@chartbridge/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_TIME_ZONE, insertRevenueCycleFixture, type RevenueCycleFixture } from '../support/revenue-cycle-fixture.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';

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
  // The A/R rollups are kept for the practice's zone from the first write on.
  await useReportsTimeZone(owner.db, FIXTURE_TIME_ZONE);
  // The fixture writes row by row, in every source table, pms and ehr alike: the triggers keep up.
  fx = await insertRevenueCycleFixture(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

/** The rollups' rows whose sums are not all back to 0 (a rollup keeps a key it once had). */
const CLAIM_SUMS_NOT_ZERO = sql`where not (charges_cents = 0 and lines = 0 and units = 0 and payer_paid_cents = 0 and patient_paid_cents = 0 and contractual_cents = 0
  and adjudicated_lines = 0 and denied_lines = 0 and postings = 0 and charged_claims = 0 and adjudicated_claims = 0 and denied_claims = 0)`;
const ENCOUNTERS_NOT_ZERO = sql`where encounters <> 0`;
const AR_NOT_ZERO = sql`where total_cents <> 0 or over_90_cents <> 0`;
const NOT_ZERO: Readonly<Record<string, RawBuilder<unknown>>> = {
  'reports.daily': CLAIM_SUMS_NOT_ZERO,
  'reports.daily_total': CLAIM_SUMS_NOT_ZERO,
  'reports.monthly': CLAIM_SUMS_NOT_ZERO,
  'reports.encounter_daily': ENCOUNTERS_NOT_ZERO,
  'reports.encounter_monthly': ENCOUNTERS_NOT_ZERO,
  'reports.ar_day': AR_NOT_ZERO,
  'reports.ar_day_total': AR_NOT_ZERO,
};

/** Every derived table's rows, in a stable order; the rollups without the keys whose sums all went back to 0. */
async function snapshot(db: Kysely<Db>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of await reportTableNames(db)) {
    const zero = NOT_ZERO[table] ?? sql``;
    const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t ${zero} order by 1`.execute(db);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/**
 * A/R and A/R over 90 days on every day from 2025-09-01 to 2026-06-30, per payer, provider and
 * location: from the rollup (its changes summed up to the day) and from the spans covering the day
 * (of claims submitted by the end of the day in `zone`), side by side where they differ.
 */
async function arRollupMismatches(zone = FIXTURE_TIME_ZONE): Promise<unknown[]> {
  const { rows } = await sql`
    with day as (select d::date as day from generate_series('2025-09-01'::date, '2026-06-30'::date, interval '1 day') d),
    rollup as (
      select d.day, a.payer_id, a.provider_id, a.location_id, sum(a.total_cents) as total, sum(a.over_90_cents) as over_90
        from day d join reports.ar_day a on a.day <= d.day group by 1, 2, 3, 4
    ),
    spans as (
      select d.day, s.payer_id, s.provider_id, s.location_id, sum(s.balance_cents) as total,
             coalesce(sum(s.balance_cents) filter (where s.service_date <= d.day - 91), 0) as over_90
        from day d join reports.ar_span s
          on (s.from_day is null or s.from_day <= d.day) and (s.to_day is null or s.to_day > d.day)
         and (s.first_submitted_at at time zone ${zone})::date <= d.day
       group by 1, 2, 3, 4
    )
    select * from rollup r full join spans s using (day, payer_id, provider_id, location_id)
     where coalesce(r.total, 0) <> coalesce(s.total, 0) or coalesce(r.over_90, 0) <> coalesce(s.over_90, 0)
     order by day limit 5`.execute(owner.db);
  return rows;
}

/** The derived tables as the triggers left them equal a recompute of every claim, and A/R by day its spans. */
async function expectMatchesRecompute(): Promise<Record<string, unknown[]>> {
  expect(await arRollupMismatches()).toEqual([]);
  const kept = await snapshot(owner.db);
  await owner.db.transaction().execute((trx) => refreshReportTables(trx));
  const recomputed = await snapshot(owner.db);
  expect(kept).toEqual(recomputed);
  return recomputed;
}

async function balanceOn(claimId: string, day: string): Promise<number | null> {
  const { rows } = await sql<{
    balance: string;
  }>`select balance_cents::text as balance from reports.ar_span where claim_id = ${claimId}::uuid and (from_day is null or from_day <= ${day}::date) and (to_day is null or to_day > ${day}::date)`.execute(
    owner.db,
  );
  return rows[0] ? Number(rows[0].balance) : null;
}

async function findings(claimId: string): Promise<string[]> {
  const { rows } = await sql<{
    rule: string;
  }>`select rule from reports.compliance_finding where claim_id = ${claimId}::uuid order by rule, line_number`.execute(owner.db);
  return rows.map((r) => r.rule);
}

describe('the reports tables, kept by triggers', () => {
  test('after the fixture, written row by row, they equal a recompute and none is empty', async () => {
    const tables = await expectMatchesRecompute();
    expect(Object.keys(tables)).toHaveLength(13);
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
    await owner.db
      .insertInto('pms.patient_payment')
      .values({
        patient_id: fx.patients['pat6'] ?? '',
        claim_id: fx.claims.C9,
        amount_cents: 200,
        method: 'cash',
        received_on: '2026-03-12',
        posted_by: 'test',
      })
      .execute();
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
      const { rows } = await sql<{
        c: string;
      }>`select coalesce(sum(charges_cents), 0)::text as c from reports.daily where day = '2026-03-25' and not is_void`.execute(owner.db);
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
    const { rows } = await sql<{
      d: string;
    }>`select service_date::text as d from reports.ar_span where claim_id = ${fx.claims.C5}::uuid`.execute(owner.db);
    expect(rows.map((r) => r.d)).toContain('2026-01-31');
    await expectMatchesRecompute();
  });

  test('signing the documentation in the EHR clears the findings it caused; a coding addendum after submission adds one', async () => {
    // C14's only note is unsigned: its 1,200.00 line is high-dollar and undocumented.
    expect(await findings(fx.claims.C14)).toEqual(expect.arrayContaining(['HIGH_DOLLAR_UNDOCUMENTED', 'UNSIGNED_DOCUMENTATION']));
    const note = await owner.db
      .selectFrom('ehr.clinical_note')
      .select('id')
      .where('encounter_id', '=', fx.encounters.C14)
      .executeTakeFirstOrThrow();
    await owner.db
      .updateTable('ehr.clinical_note')
      .set({ status: 'signed', signed_at: '2026-04-02T18:00:00-04:00', signed_by: fx.providers.P2 })
      .where('id', '=', note.id)
      .execute();
    expect(await findings(fx.claims.C14)).not.toEqual(expect.arrayContaining(['UNSIGNED_DOCUMENTATION']));
    expect(await findings(fx.claims.C14)).not.toEqual(expect.arrayContaining(['HIGH_DOLLAR_UNDOCUMENTED']));
    const providerId = fx.providers.P2;
    await owner.db
      .insertInto('ehr.note_addendum')
      .values({
        note_id: note.id,
        author_id: providerId,
        text: 'Corrected the procedure.',
        recorded_by: 'test',
        created_at: '2026-05-01T10:00:00-04:00',
        changes_coding: true,
      })
      .execute();
    expect(await findings(fx.claims.C14)).toContain('DOCUMENTED_AFTER_SUBMISSION');
    await expectMatchesRecompute();
  });

  test("cancelling an encounter takes it out of its provider's count of the day and the month", async () => {
    const count = async (table: 'reports.encounter_daily' | 'reports.encounter_monthly', column: 'day' | 'month', on: string) => {
      const { rows } = await sql<{
        n: string;
      }>`select coalesce(sum(encounters), 0)::text as n from ${sql.table(table)} where ${sql.ref(column)} = ${on}::date and provider_id = ${fx.providers.P1}::uuid`.execute(
        owner.db,
      );
      return Number(rows[0]?.n);
    };
    // P1's encounter of 03-05 has no claim; P1's March also holds C6's (03-25).
    const [day, month] = [
      await count('reports.encounter_daily', 'day', '2026-03-05'),
      await count('reports.encounter_monthly', 'month', '2026-03-01'),
    ];
    expect(day).toBe(1);
    await owner.db
      .updateTable('pms.encounter')
      .set({ status: 'cancelled' })
      .where('provider_id', '=', fx.providers.P1)
      .where('service_date', '=', '2026-03-05')
      .execute();
    expect(await count('reports.encounter_daily', 'day', '2026-03-05')).toBe(0);
    expect(await count('reports.encounter_monthly', 'month', '2026-03-01')).toBe(month - 1);
    await expectMatchesRecompute();
  });

  test('a bulk load with the triggers set aside writes no derived row until the recompute', async () => {
    await owner.db.transaction().execute(async (trx) => {
      await deferReportTables(trx);
      await trx
        .insertInto('pms.patient_payment')
        .values({
          patient_id: fx.patients['pat1'] ?? '',
          claim_id: fx.claims.C2,
          amount_cents: 1500,
          method: 'card',
          received_on: '2026-03-01',
          posted_by: 'test',
        })
        .execute();
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from reports.claim_day where claim_id = ${fx.claims.C2}::uuid and day = '2026-03-01'`.execute(trx);
      expect(rows[0]?.n).toBe(0);
      await refreshReportTables(trx);
    });
    expect(await balanceOn(fx.claims.C2, '2026-03-01')).toBeNull();
    await expectMatchesRecompute();
  });
});

describe("the A/R rollups and the practice's time zone", () => {
  /** A/R on `day` from reports.ar_day_total. */
  const arOn = async (day: string) => {
    const { rows } = await sql<{
      ar: string;
    }>`select coalesce(sum(total_cents), 0)::text as ar from reports.ar_day_total where day <= ${day}::date`.execute(owner.db);
    return Number(rows[0]?.ar);
  };

  test('a new zone recomputes them for it; the same zone again changes nothing', async () => {
    expect(await useReportsTimeZone(owner.db, FIXTURE_TIME_ZONE)).toBe(false);
    // C11 (250.00, paid 01-25) was first submitted on 2025-12-31 at 22:00 in New York, 2026-01-01 in UTC.
    const newYork = await arOn('2025-12-31');
    expect(await useReportsTimeZone(owner.db, 'UTC')).toBe(true);
    expect(await arOn('2025-12-31')).toBe(newYork - 25000);
    expect(await arRollupMismatches('UTC')).toEqual([]);
    expect(await useReportsTimeZone(owner.db, FIXTURE_TIME_ZONE)).toBe(true);
    expect(await arOn('2025-12-31')).toBe(newYork);
    await expectMatchesRecompute();
  });

  test('an unknown zone is refused and the rollups stay as they were', async () => {
    await expect(useReportsTimeZone(owner.db, 'Mars/Olympus_Mons')).rejects.toThrow(/unknown time zone/);
    const { rows } = await sql<{ zone: string }>`select time_zone as zone from reports.practice`.execute(owner.db);
    expect(rows).toEqual([{ zone: FIXTURE_TIME_ZONE }]);
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
      await expect(sql`select reports.refresh_claims(array[${fx.claims.C1}]::uuid[])`.execute(reports.db)).rejects.toThrow(
        /permission denied/,
      );
      await expect(useReportsTimeZone(reports.db, 'UTC')).rejects.toThrow(/permission denied/);
      await expect(sql`delete from reports.ar_day`.execute(reports.db)).rejects.toThrow(/permission denied/);
    } finally {
      await reports.close();
    }
  });

  test("the PMS's role sets the practice's zone (it does when it starts)", async () => {
    const pms = createDatabase<Db>({ target: database.target, role: DATABASE_ROLES.pms, applicationName: 'report-tables-pms-zone' });
    try {
      expect(await useReportsTimeZone(pms.db, 'America/Chicago')).toBe(true);
      expect(await useReportsTimeZone(pms.db, FIXTURE_TIME_ZONE)).toBe(true);
    } finally {
      await pms.close();
    }
    await expectMatchesRecompute();
  });

  test("a service's role fires the triggers it cannot call itself", async () => {
    const pms = createDatabase<Db>({ target: database.target, role: DATABASE_ROLES.pms, applicationName: 'report-tables-pms' });
    try {
      await pms.db
        .insertInto('pms.patient_payment')
        .values({
          patient_id: fx.patients['pat1'] ?? '',
          claim_id: fx.claims.C11,
          amount_cents: 5000,
          method: 'card',
          received_on: '2026-02-01',
          posted_by: 'test',
        })
        .execute();
      await expect(sql`select reports.refresh_claims(array[${fx.claims.C1}]::uuid[])`.execute(pms.db)).rejects.toThrow(/permission denied/);
    } finally {
      await pms.close();
    }
    // C11: 250.00 - 150.00 - CO-45 50.00 on 01-25, the patient's 50.00 on 02-01: settled.
    expect(await balanceOn(fx.claims.C11, '2026-02-01')).toBeNull();
    await expectMatchesRecompute();
  });
});

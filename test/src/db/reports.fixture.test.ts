import {
  DATABASE_ROLES,
  createDatabase,
  migrateAll,
  useReportsTimeZone,
  type Database,
  type EhrDatabase,
  type PmsDatabase,
} from '@chartbridge/db';
import {
  PatientPseudonyms,
  arAgingReport,
  assertFiltersExist,
  claimDrill,
  complianceFindings,
  complianceSummary,
  denialsReport,
  kpiAggregateQuery,
  kpiReport,
  kpiTrend,
  parseFilters,
  parsePeriod,
  payerMixReport,
  providerProductivityReport,
  splitPeriod,
  type ReportInputError,
  type ReportsDatabase,
} from '@chartbridge/pms';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_TIME_ZONE, insertRevenueCycleFixture, type RevenueCycleFixture } from '../support/revenue-cycle-fixture.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';

// Every revenue-cycle report over the hand-built practice of support/revenue-cycle-fixture.ts, each
// number worked out by hand below. Amounts are in dollars in the comments, in cents in the data.
//
// The claims (DOS = date of service, the encounter's; times are the practice's, America/New_York):
//
// | claim | prov | payer | loc | DOS        | status  | created   | 1st submitted     | clean | lines (charge)            |
// | C1    | P1   | A     | L1  | 2026-01-05 | paid    | 01-06     | 01-07 (resent 01-09) | yes | 99213 125.00            |
// | C2    | P1   | A     | L1  | 2026-01-10 | partial | 01-12     | 01-13             | no    | 99214 180.00, 36415 15.00 |
// | C3    | P2   | B     | L2  | 2026-01-15 | paid    | 01-20     | 01-21             | yes   | 99203 160.00              |
// | C4    | P1   | A     | L1  | 2025-12-20 | paid    | 2025-12-22| 2025-12-23        | yes   | 99214 180.00              |
// | C5    | P2   | A     | L2  | 2026-02-02 | subm.   | 02-03     | 02-04             | no    | 99215 250.00 (line 02-03) |
// | C6    | P1   | B     | L1  | 2026-03-25 | subm.   | 03-26     | 03-31 23:30 EDT   | yes   | 99213 125.00              |
// | C7    | P2   | -     | L1  | 2026-03-30 | draft   | 03-31     | never             | -     | 99212 80.00               |
// | C8    | P1   | A     | L1  | 2026-02-10 | VOID    | 02-11     | 02-12             | no    | 99213 125.00              |
// | C9    | P1   | A     | L1  | 2026-02-10 | paid    | 02-20     | 02-21             | yes   | 99213 125.00  (C8's encounter, replaces it) |
// | C10   | P2   | B     | L2  | 2025-10-01 | denied  | 2025-10-03| 2025-10-05        | yes   | 99204 240.00              |
// | C11   | P1   | B     | L1  | 2025-12-15 | paid    | 2025-12-16| 2025-12-31 22:00 EST (01-01 UTC) | yes | 99215 250.00 |
// | C13   | P2   | B     | L2  | 2026-01-20 | paid    | 01-31 23:30 EST (02-01 UTC) | 02-02 | yes | 99213 125.00, 87880 x2 30.00 |
// | C14   | P2   | B     | L2  | 2026-04-02 | subm.   | 04-03     | 04-03             | no    | 20610 1,200.00            |
//
// Remittances (payment date: per line paid, adjustments) and patient payments:
// C1  01-20: paid 80.00, CO-45 25.00, PR-2 20.00;                 patient 20.00 on 02-03
// C2  02-10: line 1 paid 150.00, CO-45 30.00; line 2 DENIED CO-97 10.00 + CO-16 5.00
// C3  02-15: DENIED CO-50 160.00;  03-20 (appeal paid): paid 120.00, CO-45 40.00
// C4  01-08: paid 140.00, CO-45 40.00; 04-10 the payer REVERSES it (-140.00, CO-45 -40.00); 04-20: paid 150.00, CO-45 30.00
// C5  none;                                                        patient 30.00 on 02-02 (before submission)
// C9  03-10: paid 90.00, CO-45 25.00, PR-1 10.00;                  patient 4.00 on 03-15 (partial)
// C10 2025-11-01: DENIED CO-16 240.00
// C11 01-25: paid 150.00, CO-45 50.00, PR-2 50.00
// C13 02-20: line 1 paid 100.00, CO-45 25.00; line 2 paid 23.52, CO-45 6.00, CO-253 0.48
// On account (no claim): 15.00 on 01-10. An encounter of P1 on 03-05 without a claim; one of P2 on 03-06 cancelled.

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const TZ = FIXTURE_TIME_ZONE;

let database: TestDatabase;
let owner: Database<PmsDatabase & EhrDatabase>;
let reports: Database<ReportsDatabase>;
let fx: RevenueCycleFixture;
const pseudonyms = new PatientPseudonyms(Buffer.alloc(32, 7));

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<PmsDatabase & EhrDatabase>({ target: database.target, applicationName: 'reports-fixture-owner' });
  await migrateAll(owner.db);
  fx = await insertRevenueCycleFixture(owner.db);
  // As the PMS does when it starts: A/R is read from the rollups kept for the practice's zone.
  await useReportsTimeZone(owner.db, TZ);
  // The reports' own connection, as the read-only reports role (on PGlite, the one embedded session).
  reports = createDatabase<ReportsDatabase>({ target: database.target, role: DATABASE_ROLES.reports, applicationName: 'reports-fixture' });
});

afterAll(async () => {
  await reports?.close();
  await owner?.close();
  await database?.drop();
});

const kpis = (period = Q1, filters = {}) => kpiReport(reports.db, { period, filters, timeZone: TZ });

describe('KPIs of the first quarter of 2026', () => {
  // Gross charges: line charges of claims not void by line date of service in Q1:
  //   C1 125 + C2 195 + C3 160 + C5 250 + C6 125 + C7 80 + C9 125 + C13 155 = 1,215.00
  //   (C8 is void; C4, C10, C11 were served in 2025; C14 in April.)
  // Payments: payer 80 (C1) + 150 (C2) + 0 + 120 (C3) + 140 (C4) + 90 (C9) + 150 (C11) + 123.52 (C13) = 853.52,
  //   patient on claims 20 (C1) + 30 (C5) + 4 (C9) = 54.00 (the 15.00 on account is no claim's) -> 907.52.
  // Contractual: CO-45/253 on lines not denied: 25 (C1) + 30 (C2) + 40 (C3's appeal) + 40 (C4) + 25 (C9)
  //   + 50 (C11) + 25 + 6 + 0.48 (C13) = 241.48 (C2's CO-97/CO-16 and C3's CO-50 are denials).
  // A/R on 03-31: C2 195-150-30 = 15 (the denied 15 stays open), C5 250-30 = 220, C6 125 (submitted 23:30
  //   local on 03-31), C9 125-90-25-4 = 6, C10 240 (denied in 2025, open), C11 250-150-50 = 50; C1, C3, C4,
  //   C13 are 0; C7 was never submitted; C8 is void. Total 656.00; over 90 days (DOS on or before
  //   2025-12-30): C10 240 + C11 50 = 290.00.
  test('days in A/R: 656.00 x 90 days / 1,215.00 = 48.5926', async () => {
    expect((await kpis()).kpis.DAYS_IN_AR).toMatchObject({
      value: '48.5926',
      numerator: '656.00',
      denominator: '1215.00',
      multiplier: 90,
      unit: 'DAYS',
    });
  });

  test('A/R over 90 days: 290.00 / 656.00 = 0.4421', async () => {
    expect((await kpis()).kpis.AR_OVER_90).toMatchObject({ value: '0.4421', numerator: '290.00', denominator: '656.00', multiplier: 1 });
  });

  test('net collection rate: 907.52 / (1,215.00 - 241.48) = 907.52 / 973.52 = 0.9322', async () => {
    expect((await kpis()).kpis.NET_COLLECTION_RATE).toMatchObject({ value: '0.9322', numerator: '907.52', denominator: '973.52' });
  });

  test('gross collection rate: 907.52 / 1,215.00 = 0.7469', async () => {
    expect((await kpis()).kpis.GROSS_COLLECTION_RATE).toMatchObject({ value: '0.7469', numerator: '907.52', denominator: '1215.00' });
  });

  // First submitted in Q1, by the practice's day: C1 no (clean, but rejected and resent: a manual touch),
  // C2 no, C3 yes, C5 no, C6 yes (23:30 on 03-31), C8 no (void, but it was submitted), C9 yes, C13 yes;
  // not C11 (22:00 on 2025-12-31, though 01-01 in UTC).
  test('clean claim rate: 4 / 8 = 0.5000', async () => {
    expect((await kpis()).kpis.CLEAN_CLAIM_RATE).toMatchObject({
      value: '0.5000',
      numerator: '4',
      denominator: '8',
      numeratorQuantity: 'CLAIMS',
    });
  });

  // First adjudicated in Q1: C1 (01-20), C4 (01-08), C11 (01-25), C13 (02-20), C9 (03-10) with no denied line;
  // C2 (02-10, line 2 denied) and C3 (02-15, denied; its appeal paid on 03-20 is not its first adjudication).
  // C10's first was in 2025.
  test('first-pass resolution rate: 5 / 7 = 0.7143', async () => {
    expect((await kpis()).kpis.FIRST_PASS_RESOLUTION_RATE).toMatchObject({ value: '0.7143', numerator: '5', denominator: '7' });
  });

  // Claims with a remittance line in Q1: C1, C2, C3, C4, C9, C11, C13; with a denied one: C2, C3.
  test('denial rate: 2 / 7 = 0.2857', async () => {
    expect((await kpis()).kpis.DENIAL_RATE).toMatchObject({ value: '0.2857', numerator: '2', denominator: '7' });
  });

  // Remittance lines in Q1: C1 1, C2 2, C3 2 (denial and appeal), C4 1, C9 1, C11 1, C13 2 = 10; denied 2.
  test('line denial rate: 2 / 10 = 0.2000', async () => {
    expect((await kpis()).kpis.LINE_DENIAL_RATE).toMatchObject({
      value: '0.2000',
      numerator: '2',
      denominator: '10',
      numeratorQuantity: 'LINES',
    });
  });

  // Created in Q1 (practice day) minus DOS: C1 1, C2 2, C3 5, C5 1, C6 1, C7 1, C8 1, C9 10, C13 11
  // (created 23:30 on 01-31 local, 02-01 in UTC) = 33 days over 9 claims.
  test('charge lag: 33 days / 9 claims = 3.6667 days', async () => {
    expect((await kpis()).kpis.CHARGE_LAG).toMatchObject({ value: '3.6667', numerator: '33', denominator: '9', unit: 'DAYS' });
  });

  test('every value states its definition', async () => {
    for (const value of Object.values((await kpis()).kpis)) expect(value.definition.length).toBeGreaterThan(40);
  });

  // Payer A: charges C1 125 + C2 195 + C5 250 + C9 125 = 695.00; payments C1 80+20, C2 150, C4 140,
  // C5 30, C9 90+4 = 514.00.
  test('filtered to a payer: gross collection 514.00 / 695.00 = 0.7396', async () => {
    expect((await kpis(Q1, { payerId: fx.payers.A })).kpis.GROSS_COLLECTION_RATE).toMatchObject({
      value: '0.7396',
      numerator: '514.00',
      denominator: '695.00',
    });
  });

  // Location L2: C3, C5, C13 (C10 and C14 outside Q1). Submitted in Q1: C3 yes, C5 no, C13 yes.
  test('filtered to a location: clean claims 2 / 3', async () => {
    expect((await kpis(Q1, { locationId: fx.locations.L2 })).kpis.CLEAN_CLAIM_RATE).toMatchObject({
      value: '0.6667',
      numerator: '2',
      denominator: '3',
    });
  });

  // P2's A/R on 03-31: C5 220 + C10 240 = 460.00; P2's charges in Q1: C3 160 + C5 250 + C7 80 + C13 155 = 645.00.
  test('filtered to a provider: days in A/R 460.00 x 90 / 645.00 = 64.1860', async () => {
    expect((await kpis(Q1, { providerId: fx.providers.P2 })).kpis.DAYS_IN_AR).toMatchObject({
      value: '64.1860',
      numerator: '460.00',
      denominator: '645.00',
    });
  });
});

describe('an empty period', () => {
  test('gives null rates and zero components, never a division error', async () => {
    const report = await kpis({ from: '2024-01-01', to: '2024-01-31' });
    for (const value of Object.values(report.kpis)) {
      expect(value.value).toBeNull();
      expect(['0', '0.00']).toContain(value.denominator);
    }
    expect(report.days).toBe(31);
  });

  // One day, 2026-01-04: nothing served, paid or created; the A/R that day is C10 240 + C11 250 + C4 180
  // (paid on 01-08) = 670.00, with no charge of the day to divide it by.
  test('with A/R but no charges gives days in A/R null and A/R over 90 computed', async () => {
    const report = await kpis({ from: '2026-01-04', to: '2026-01-04' });
    expect(report.kpis.DAYS_IN_AR).toMatchObject({ value: null, numerator: '670.00', denominator: '0.00' });
    // Over 90 on 01-04 (DOS on or before 2025-10-05): C10 only, 240.00 / 670.00.
    expect(report.kpis.AR_OVER_90).toMatchObject({ value: '0.3582', numerator: '240.00', denominator: '670.00' });
  });
});

// April 2026, with C4's reversal (04-10) and corrected payment (04-20); C14 (1,200.00, DOS 04-02) is the
// month's only charge.
describe("a payer's reversal", () => {
  const april = { from: '2026-04-01', to: '2026-04-30' };

  // Payments: C4 -140.00 + 150.00 = 10.00; contractual: -40.00 + 30.00 = -10.00.
  test('nets out of collections in its own period: 10.00 / 1,200.00 gross, 10.00 / 1,210.00 net', async () => {
    const { kpis: k } = await kpis(april);
    expect(k.GROSS_COLLECTION_RATE).toMatchObject({ value: '0.0083', numerator: '10.00', denominator: '1200.00' });
    expect(k.NET_COLLECTION_RATE).toMatchObject({ value: '0.0083', numerator: '10.00', denominator: '1210.00' });
  });

  // Adjudicated in April: C4's corrected payment only (a reversal is no adjudication); C4 was first
  // adjudicated in January, so no claim had its first adjudication in April.
  test('is no adjudication: denial rates count the corrected payment only, first-pass has nothing to count', async () => {
    const { kpis: k } = await kpis(april);
    expect(k.DENIAL_RATE).toMatchObject({ value: '0.0000', numerator: '0', denominator: '1' });
    expect(k.LINE_DENIAL_RATE).toMatchObject({ numerator: '0', denominator: '1' });
    expect(k.FIRST_PASS_RESOLUTION_RATE).toMatchObject({ value: null, denominator: '0' });
  });

  // A/R on 04-30: 656.00 on 03-31 + C14 1,200.00 (submitted 04-03); C4 is 180 - 150 - 30 = 0 again.
  test('days in A/R for April: 1,856.00 x 30 / 1,200.00 = 46.4000', async () => {
    expect((await kpis(april)).kpis.DAYS_IN_AR).toMatchObject({
      value: '46.4000',
      numerator: '1856.00',
      denominator: '1200.00',
      multiplier: 30,
    });
  });

  // On 04-15, between the reversal and the corrected payment, C4 owes its whole 180.00 again (age 116).
  test('puts the claim back in A/R until it is paid again', async () => {
    const report = await arAgingReport(reports.db, {
      asOf: '2026-04-15',
      groupBy: 'payer',
      filters: { payerId: fx.payers.A },
      timeZone: TZ,
    });
    // Payer A: C5 220 (age 72) + C9 6 (64) in 61-90; C2 15 (95) + C4 180 (116) in 91-120.
    expect(report.buckets.map((b) => b.amountCents)).toEqual([0, 0, 22600, 19500, 0]);
    const [c4] = await claimDrill(
      reports.db,
      pseudonyms,
      { asOf: '2026-04-15', payerId: fx.payers.A, aging: { bucket: 'DAYS_91_120' } },
      { first: 1 },
      TZ,
    );
    expect(c4).toMatchObject({
      claimId: fx.claims.C4,
      payerPaidCents: 0,
      adjustedCents: 0,
      balanceCents: 18000,
      ageDays: 116,
      firstAdjudicatedOn: '2026-01-08',
    });
  });
});

describe('trends', () => {
  // By month: payments Jan 80+140+150 = 370; Feb 150+0+123.52 + patient 20+30 = 323.52; Mar 120+90 + 4 = 214.
  // Charges Jan 125+195+160+155 = 635; Feb 250+125 = 375; Mar 125+80 = 205.
  test('gross collection by month: 370/635, 323.52/375, 214/205 (a claim paid in a later month than served)', async () => {
    const trend = await kpiTrend(reports.db, { period: Q1, filters: {}, timeZone: TZ, kpi: 'GROSS_COLLECTION_RATE', interval: 'month' });
    expect(trend.points.map((p) => [p.period.from, p.period.to, p.value.numerator, p.value.denominator, p.value.value])).toEqual([
      ['2026-01-01', '2026-01-31', '370.00', '635.00', '0.5827'],
      ['2026-02-01', '2026-02-28', '323.52', '375.00', '0.8627'],
      ['2026-03-01', '2026-03-31', '214.00', '205.00', '1.0439'],
    ]);
  });

  // A/R on 01-31: C1 125-80-25 = 20 (its patient's 20 comes 02-03), C2 195, C3 160, C10 240, C11 50 = 665.
  // On 02-28: C2 15, C3 160 (its denial applies nothing), C5 220 (the copay of 02-02 counts from its 02-04
  // submission), C9 125, C10 240, C11 50 = 810. On 03-31: 656.
  test('days in A/R by month: 665x31/635, 810x28/375, 656x31/205', async () => {
    const trend = await kpiTrend(reports.db, { period: Q1, filters: {}, timeZone: TZ, kpi: 'DAYS_IN_AR', interval: 'month' });
    expect(trend.points.map((p) => [p.value.numerator, p.value.denominator, p.value.multiplier, p.value.value])).toEqual([
      ['665.00', '635.00', 31, '32.4646'],
      ['810.00', '375.00', 28, '60.4800'],
      ['656.00', '205.00', 31, '99.2000'],
    ]);
  });

  // A/R comes from the day-by-day rollups kept for the practice's zone, and from the same changes
  // computed from the claims' balance spans when the zone stored is another (kpi.report.ts, arAtEnds).
  // Week by week, both give the same, by payer too; and the months' hand-worked values above hold
  // on the spans as well.
  test('A/R by week from the rollups equals A/R from the spans', async () => {
    const weeks = async (filters: { payerId?: string; providerId?: string }) => {
      const out = [];
      for (const kpi of ['DAYS_IN_AR', 'AR_OVER_90'] as const) {
        const trend = await kpiTrend(reports.db, { period: Q1, filters, timeZone: TZ, kpi, interval: 'week' });
        expect(trend.points).toHaveLength(14);
        out.push(trend.points.map((p) => [p.period.from, p.value.numerator, p.value.denominator]));
      }
      return out;
    };
    const months = async () =>
      (await kpiTrend(reports.db, { period: Q1, filters: {}, timeZone: TZ, kpi: 'DAYS_IN_AR', interval: 'month' })).points.map(
        (p) => p.value.numerator,
      );
    // And day by day over the fixture's whole history (one-day sub-periods), A/R and A/R over 90 days.
    const days = splitPeriod({ from: '2025-09-01', to: '2026-06-30' }, 'month').flatMap((m) => {
      const out = [];
      for (let d = new Date(`${m.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= m.to; d.setUTCDate(d.getUTCDate() + 1))
        out.push(d.toISOString().slice(0, 10));
      return out;
    });
    const daily = async () =>
      (
        await kpiAggregateQuery({
          periods: days.map((day) => ({ from: day, to: day })),
          filters: {},
          timeZone: TZ,
          kpis: ['AR_OVER_90'],
        }).execute(reports.db)
      ).rows.map((r) => [r.period_start, r.ar_cents, r.ar_over_90_cents]);
    const dailyFromRollups = await daily();
    expect(dailyFromRollups).toHaveLength(303);
    expect(dailyFromRollups.filter(([, , over90]) => Number(over90) > 0).length).toBeGreaterThan(100);
    const fromRollups = [await weeks({}), await weeks({ payerId: fx.payers.A }), await weeks({ providerId: fx.providers.P2 })];
    expect(fromRollups[0]?.[0]?.map(([, ar]) => ar)).toContain('810.00');
    try {
      expect(await useReportsTimeZone(owner.db, 'UTC')).toBe(true);
      expect([await weeks({}), await weeks({ payerId: fx.payers.A }), await weeks({ providerId: fx.providers.P2 })]).toEqual(fromRollups);
      expect(await months()).toEqual(['665.00', '810.00', '656.00']);
      expect(await daily()).toEqual(dailyFromRollups);
    } finally {
      await useReportsTimeZone(owner.db, TZ);
    }
  });

  // A trend is one statement whatever its length: its sub-periods are two arrays, so a five-year weekly
  // trend is parsed and planned like a one-month report (no branch, no parameter per sub-period).
  test('the KPI statement does not grow with the number of sub-periods', () => {
    const compiled = (period: { from: string; to: string }, interval: 'week' | 'month') =>
      kpiAggregateQuery({
        periods: splitPeriod(period, interval),
        filters: { payerId: fx.payers.A },
        timeZone: TZ,
        kpis: ['DAYS_IN_AR'],
      }).compile(reports.db);
    const month = compiled({ from: '2026-01-01', to: '2026-01-31' }, 'month');
    const fiveYears = compiled({ from: '2021-04-01', to: '2026-03-31' }, 'week');
    expect(fiveYears.sql).toBe(month.sql);
    expect(fiveYears.parameters).toHaveLength(month.parameters.length);
    expect(fiveYears.parameters[0]).toHaveLength(splitPeriod({ from: '2021-04-01', to: '2026-03-31' }, 'week').length);
    expect(fiveYears.parameters[0]).toHaveLength(262);
  });

  // Adjudicated by month: Jan C1, C4, C11 (none denied); Feb C2 and C3 denied, C13 not; Mar C3's appeal and C9.
  test('denial rate by month: 0/3, 2/3, 0/2', async () => {
    const trend = await kpiTrend(reports.db, { period: Q1, filters: {}, timeZone: TZ, kpi: 'DENIAL_RATE', interval: 'month' });
    expect(trend.points.map((p) => [p.value.numerator, p.value.denominator, p.value.value])).toEqual([
      ['0', '3', '0.0000'],
      ['2', '3', '0.6667'],
      ['0', '2', '0.0000'],
    ]);
  });

  // ISO weeks cut to the period: Wed 03-25 to Sun 03-29 (C6 created 03-26, 1 day), Mon 03-30 to Sun 04-05
  // (C7 03-31, 1 day; C14 04-03, 1 day), Mon 04-06 to Tue 04-07 (nothing: null).
  test('charge lag by week, with an empty week', async () => {
    const trend = await kpiTrend(reports.db, {
      period: { from: '2026-03-25', to: '2026-04-07' },
      filters: {},
      timeZone: TZ,
      kpi: 'CHARGE_LAG',
      interval: 'week',
    });
    expect(trend.points.map((p) => [p.period.from, p.period.to, p.value.numerator, p.value.denominator, p.value.value])).toEqual([
      ['2026-03-25', '2026-03-29', '1', '1', '1.0000'],
      ['2026-03-30', '2026-04-05', '2', '2', '1.0000'],
      ['2026-04-06', '2026-04-07', '0', '0', null],
    ]);
  });
});

describe('A/R aging on 2026-03-31', () => {
  // Ages: C6 6 days, C5 57, C9 49, C2 80, C11 106, C10 181.
  test('buckets: 0-30 125.00 (C6), 31-60 226.00 (C5 220, C9 6), 61-90 15.00 (C2), 91-120 50.00 (C11), over 120 240.00 (C10)', async () => {
    const report = await arAgingReport(reports.db, { asOf: Q1.to, groupBy: 'payer', filters: {}, timeZone: TZ });
    expect(report.buckets.map((b) => [b.bucket, b.amountCents, b.claimCount])).toEqual([
      ['DAYS_0_30', 12500, 1],
      ['DAYS_31_60', 22600, 2],
      ['DAYS_61_90', 1500, 1],
      ['DAYS_91_120', 5000, 1],
      ['OVER_120', 24000, 1],
    ]);
    expect(report.total).toEqual({ amountCents: 65600, claimCount: 6 });
  });

  // Payer A: C2 15 (61-90), C5 220 + C9 6 (31-60) = 241.00; payer B: C6 125, C11 50, C10 240 = 415.00.
  test('by payer, each total the sum of its buckets', async () => {
    const report = await arAgingReport(reports.db, { asOf: Q1.to, groupBy: 'payer', filters: {}, timeZone: TZ });
    const byId = new Map(report.groups.map((g) => [g.id, g]));
    expect(byId.get(fx.payers.A)?.total).toEqual({ amountCents: 24100, claimCount: 3 });
    expect(byId.get(fx.payers.B)?.total).toEqual({ amountCents: 41500, claimCount: 3 });
    expect(byId.get(fx.payers.B)?.name).toMatch(/^Blue Plan/);
    for (const group of report.groups) {
      expect(group.total.amountCents).toBe(group.buckets.reduce((s, b) => s + b.amountCents, 0));
      expect(group.total.claimCount).toBe(group.buckets.reduce((s, b) => s + b.claimCount, 0));
    }
  });

  // P1: C2 15, C6 125, C9 6, C11 50 = 196.00; P2: C5 220, C10 240 = 460.00. L1: C2, C6, C9, C11 = 196.00; L2 460.00.
  test.each([
    ['provider', 'P1', 'P2'],
    ['location', 'L1', 'L2'],
  ] as const)('by %s', async (groupBy, first, second) => {
    const report = await arAgingReport(reports.db, { asOf: Q1.to, groupBy, filters: {}, timeZone: TZ });
    const ids: Record<string, string> = groupBy === 'provider' ? fx.providers : fx.locations;
    const byId = new Map(report.groups.map((g) => [g.id, g.total.amountCents]));
    expect(byId.get(ids[first] ?? null)).toBe(19600);
    expect(byId.get(ids[second] ?? null)).toBe(46000);
  });

  // On 2026-02-15 C3's denial is posted but applies nothing: C3 is still 160 open (age 31).
  test('a denied claim stays in A/R at its full charge', async () => {
    const report = await arAgingReport(reports.db, {
      asOf: '2026-02-15',
      groupBy: 'payer',
      filters: { payerId: fx.payers.B },
      timeZone: TZ,
    });
    // B on 02-15: C3 160 (31-60), C10 240 (over 120), C11 50 (61-90), C13 155 (26 days; paid 02-20).
    expect(report.buckets.map((b) => b.amountCents)).toEqual([15500, 16000, 5000, 0, 24000]);
  });
});

describe('denials of the first quarter', () => {
  // Denied lines in Q1: C2 line 2 (02-10, CO-97 10.00 + CO-16 5.00, payer A, 36415) and C3 (02-15, CO-50 160.00,
  // payer B, 99203). C10's CO-16 was in 2025.
  test('by reason and group code, payer and procedure, with a total of 175.00 on 2 lines of 2 claims', async () => {
    const report = await denialsReport(reports.db, { period: Q1, filters: {} });
    expect(report.total).toEqual({ deniedLines: 2, deniedClaims: 2, amountCents: 17500 });
    expect(report.byReason.map((g) => [g.groupCode, g.reasonCode, g.deniedLines, g.deniedClaims, g.amountCents])).toEqual([
      ['CO', '50', 1, 1, 16000],
      ['CO', '97', 1, 1, 1000],
      ['CO', '16', 1, 1, 500],
    ]);
    expect(report.byPayer.map((g) => [g.payerId, g.amountCents])).toEqual([
      [fx.payers.B, 16000],
      [fx.payers.A, 1500],
    ]);
    expect(report.byProcedure.map((g) => [g.procedureCode, g.deniedLines, g.amountCents])).toEqual([
      ['99203', 1, 16000],
      ['36415', 1, 1500],
    ]);
  });
});

describe('payer mix of the first quarter', () => {
  // A: C1 125 + C2 195 + C5 250 + C9 125 = 695.00 (4 encounters); B: C3 160 + C6 125 + C13 155 = 440.00 (3);
  // no payer: C7 80.00 (1). Total 1,215.00, 8 encounters.
  test('shares of charges and encounters', async () => {
    const report = await payerMixReport(reports.db, { period: Q1, filters: {} });
    expect(report.payers.map((p) => [p.payerId, p.chargesCents, p.chargeShare, p.encounterCount, p.encounterShare])).toEqual([
      [fx.payers.A, 69500, '0.5720', 4, '0.5000'],
      [fx.payers.B, 44000, '0.3621', 3, '0.3750'],
      [null, 8000, '0.0658', 1, '0.1250'],
    ]);
    expect(report.total).toEqual({ chargesCents: 121500, claimCount: 8, encounterCount: 8 });
  });
});

describe('provider productivity of the first quarter', () => {
  // Encounters not cancelled by DOS; lines of claims not void by line DOS; payments by their dates:
  // P1 Jan: enc C1, C2; lines C1 1 + C2 2 = 320.00; paid C1 80 + C4 140 + C11 150 = 370.00
  // P1 Feb: enc C8/C9's; line C9 125.00; paid C2 150 + C1's patient 20 = 170.00
  // P1 Mar: enc C6 and the one without a claim; line C6 125.00; paid C9 90 + 4 = 94.00
  // P2 Jan: enc C3, C13; lines C3 1 + C13 2 (4 units) = 315.00; paid 0
  // P2 Feb: enc C5; line C5 250.00; paid C13 123.52 + C5's patient 30 = 153.52
  // P2 Mar: enc C7 (the cancelled one is not counted); line C7 80.00; paid C3's appeal 120.00
  test('per provider per month', async () => {
    const report = await providerProductivityReport(reports.db, { period: Q1, filters: {} });
    expect(
      report.rows.map((r) => [
        r.providerId === fx.providers.P1 ? 'P1' : 'P2',
        r.month,
        r.encounters,
        r.procedures,
        r.units,
        r.chargesCents,
        r.paymentsCents,
      ]),
    ).toEqual([
      ['P1', '2026-01', 2, 3, 3, 32000, 37000],
      ['P1', '2026-02', 1, 1, 1, 12500, 17000],
      ['P1', '2026-03', 2, 1, 1, 12500, 9400],
      ['P2', '2026-01', 2, 3, 4, 31500, 0],
      ['P2', '2026-02', 1, 1, 1, 25000, 15352],
      ['P2', '2026-03', 1, 1, 1, 8000, 12000],
    ]);
  });
});

describe('compliance, January to April 2026', () => {
  const period = { from: '2026-01-01', to: '2026-04-30' };
  // Claims not void with DOS in the period: C1, C2, C3, C5, C6, C7, C9, C13, C14 (rules as in
  // rules/compliance-findings.ts: late = signed more than 3 days after the DOS).
  // C1: clean. C2: signed 01-20, 10 days after its DOS (LATE_SIGNATURE) and after its 01-13 submission
  // (DOCUMENTED_AFTER_SUBMISSION, an error). C3: billed 99203, documented 99202 (UNDOCUMENTED_CODE, line 1).
  // C5: line dated 02-03, DOS 02-02 (DATE_MISMATCH, line 1). C6: points at I10 only, the EHR linked I10 and
  // E78.5 (LINKAGE_MISMATCH, line 1). C7: a draft claim with no note at all (UNSIGNED_DOCUMENTATION), no
  // documented procedure (UNDOCUMENTED_CODE, line 1) nor diagnosis (UNDOCUMENTED_CODE, claim-wide).
  // C9: an addendum on 03-01 after its 02-21 submission (DOCUMENTED_AFTER_SUBMISSION, a warning: no coding
  // change). C13: line 2 points at nothing (LINKAGE_MISMATCH, line 2) and R50.9 is billed, not documented
  // (UNDOCUMENTED_CODE, claim-wide). C14: a 1,200.00 line on a draft note (HIGH_DOLLAR_UNDOCUMENTED, line 1;
  // UNSIGNED_DOCUMENTATION).
  test('counts by rule', async () => {
    const summary = await complianceSummary(reports.db, { period, filters: {}, timeZone: TZ });
    expect(summary.byRule.map((c) => [c.rule, c.findings, c.claims])).toEqual([
      ['DATE_MISMATCH', 1, 1],
      ['LATE_SIGNATURE', 1, 1],
      ['DOCUMENTED_AFTER_SUBMISSION', 2, 2],
      ['UNDOCUMENTED_CODE', 4, 3],
      ['UNSIGNED_DOCUMENTATION', 2, 2],
      ['HIGH_DOLLAR_UNDOCUMENTED', 1, 1],
      ['LINKAGE_MISMATCH', 2, 2],
    ]);
  });

  test('counts by rule and provider', async () => {
    const summary = await complianceSummary(reports.db, { period, filters: {}, timeZone: TZ });
    const p = (id: string | null) => (id === fx.providers.P1 ? 'P1' : 'P2');
    expect(summary.byProvider.map((c) => `${c.rule} ${p(c.providerId)} ${c.findings}`).sort()).toEqual(
      [
        'DATE_MISMATCH P2 1',
        'DOCUMENTED_AFTER_SUBMISSION P1 2',
        'HIGH_DOLLAR_UNDOCUMENTED P2 1',
        'LATE_SIGNATURE P1 1',
        'LINKAGE_MISMATCH P1 1',
        'LINKAGE_MISMATCH P2 1',
        'UNDOCUMENTED_CODE P2 4',
        'UNSIGNED_DOCUMENTATION P2 2',
      ].sort(),
    );
  });

  test('lists the findings by date of service, claim, rule and line, a page at a time', async () => {
    const label = new Map(Object.entries(fx.claims).map(([k, v]) => [v, k]));
    const all = [];
    let after: readonly [string, string, string, string] | undefined;
    for (;;) {
      const page = await complianceFindings(reports.db, { period, filters: {}, timeZone: TZ }, { first: 4, ...(after ? { after } : {}) });
      all.push(...page.slice(0, 4));
      const last = page[3];
      if (page.length <= 4 || !last) break;
      after = [last.serviceDate, last.claimId, last.rule, String(last.lineNumber ?? 0)];
    }
    expect(all.map((f) => `${label.get(f.claimId)} ${f.rule} ${f.lineNumber ?? '-'} ${f.severity}`)).toEqual([
      'C2 DOCUMENTED_AFTER_SUBMISSION - error',
      'C2 LATE_SIGNATURE - warning',
      'C3 UNDOCUMENTED_CODE 1 error',
      'C13 LINKAGE_MISMATCH 2 error',
      'C13 UNDOCUMENTED_CODE - error',
      'C5 DATE_MISMATCH 1 error',
      'C9 DOCUMENTED_AFTER_SUBMISSION - warning',
      'C6 LINKAGE_MISMATCH 1 error',
      'C7 UNDOCUMENTED_CODE - error',
      'C7 UNDOCUMENTED_CODE 1 error',
      'C7 UNSIGNED_DOCUMENTATION - error',
      'C14 HIGH_DOLLAR_UNDOCUMENTED 1 error',
      'C14 UNSIGNED_DOCUMENTATION - error',
    ]);
  });

  test('narrowed to one rule and one provider', async () => {
    const page = await complianceFindings(
      reports.db,
      { period, filters: { providerId: fx.providers.P2 }, timeZone: TZ, rule: 'LINKAGE_MISMATCH' },
      { first: 10 },
    );
    expect(page.map((f) => [f.claimId, f.lineNumber])).toEqual([[fx.claims.C13, 2]]);
  });
});

describe('drill-down', () => {
  test('from an aging bucket to its claims, with amounts on the day and pseudonymous patients', async () => {
    const rows = await claimDrill(reports.db, pseudonyms, { asOf: Q1.to, aging: { bucket: 'DAYS_31_60' } }, { first: 10 }, TZ);
    // C5 (DOS 02-02) before C9 (02-10); C9: 125 - 90 paid - 25 CO-45 - 4 patient = 6.00.
    expect(rows.map((r) => [r.claimId, r.balanceCents, r.ageDays])).toEqual([
      [fx.claims.C5, 22000, 57],
      [fx.claims.C9, 600, 49],
    ]);
    expect(rows[1]).toMatchObject({
      chargeCents: 12500,
      payerPaidCents: 9000,
      adjustedCents: 2500,
      patientPaidCents: 400,
      firstAdjudicatedOn: '2026-03-10',
    });
    expect(rows[0]?.patientKey).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0]?.patientKey).toBe(pseudonyms.keyOf(fx.patients['pat5'] ?? ''));
  });

  test('pages through a group: every claim of the payer A aging, once, by date of service', async () => {
    const first = await claimDrill(
      reports.db,
      pseudonyms,
      { asOf: Q1.to, payerId: fx.payers.A, aging: { bucket: null } },
      { first: 2 },
      TZ,
    );
    expect(first).toHaveLength(3);
    const last = first[1]!;
    const second = await claimDrill(
      reports.db,
      pseudonyms,
      { asOf: Q1.to, payerId: fx.payers.A, aging: { bucket: null } },
      { first: 2, after: [last.serviceDate, last.claimId] },
      TZ,
    );
    expect([...first.slice(0, 2), ...second].map((r) => r.claimId)).toEqual([fx.claims.C2, fx.claims.C5, fx.claims.C9]);
  });

  test('the same patient has the same key on every claim', async () => {
    const rows = await claimDrill(
      reports.db,
      pseudonyms,
      { asOf: Q1.to, servicePeriod: Q1, providerId: fx.providers.P1 },
      { first: 20 },
      TZ,
    );
    const keyOf = (claim: string) => rows.find((r) => r.claimId === claim)?.patientKey;
    expect(keyOf(fx.claims.C1)).toBe(keyOf(fx.claims.C2));
    expect(keyOf(fx.claims.C1)).not.toBe(keyOf(fx.claims.C6));
  });

  test('from a denial reason to its claims', async () => {
    const rows = await claimDrill(
      reports.db,
      pseudonyms,
      { asOf: Q1.to, denied: { period: Q1, groupCode: 'CO', reasonCode: '97' } },
      { first: 10 },
      TZ,
    );
    expect(rows.map((r) => [r.claimId, r.balanceCents])).toEqual([[fx.claims.C2, 1500]]);
  });

  test('from the payer mix group without a payer to its claims', async () => {
    const rows = await claimDrill(reports.db, pseudonyms, { asOf: Q1.to, payerId: null, servicePeriod: Q1 }, { first: 10 }, TZ);
    expect(rows.map((r) => r.claimId)).toEqual([fx.claims.C7]);
  });
});

describe('bad input', () => {
  test.each([
    ['a missing from', { to: '2026-01-31' }, 'from'],
    ['a missing to', { from: '2026-01-01' }, 'to'],
    ['a reversed period', { from: '2026-02-01', to: '2026-01-31' }, 'to'],
    ['a period of five years', { from: '2021-01-01', to: '2026-01-01' }, 'to'],
    ['an impossible date', { from: '2026-02-30', to: '2026-03-01' }, 'from'],
  ])('%s is refused naming the argument', (_case, input, field) => {
    expect(() => parsePeriod(input)).toThrow(expect.objectContaining({ name: 'ReportInputError', field }));
  });

  test('a period just under five years is accepted', () => {
    expect(parsePeriod({ from: '2021-01-01', to: '2025-12-31' })).toEqual({ from: '2021-01-01', to: '2025-12-31' });
  });

  test.each(['payerId', 'providerId', 'locationId'] as const)('an unknown %s is refused naming it', async (field) => {
    await expect(assertFiltersExist(reports.db, parseFilters({ [field]: '00000000-0000-4000-8000-000000000000' }))).rejects.toThrow(
      expect.objectContaining({ field }) as ReportInputError,
    );
  });

  test('a malformed id is refused before any SQL', () => {
    expect(() => parseFilters({ payerId: 'not-an-id' })).toThrow(expect.objectContaining({ field: 'payerId' }));
  });

  test('known filters pass', async () => {
    await expect(
      assertFiltersExist(reports.db, { payerId: fx.payers.A, providerId: fx.providers.P1, locationId: fx.locations.L1 }),
    ).resolves.toBeUndefined();
  });
});

describe.skipIf(!SERVER_URL)('the reports role on a real server', () => {
  test('is who the reports connection works as', async () => {
    expect((await sql<{ current_user: string }>`select current_user`.execute(reports.db)).rows[0]?.current_user).toBe(
      'chartbridge_reports',
    );
  });

  test.each([
    ["patients' names", sql`select family_name from pms.patient`],
    ["a note's text", sql`select subjective from ehr.clinical_note`],
    ["an appointment's reason", sql`select reason from pms.appointment`],
    ['any change', sql`update pms.claim set status = 'void'`],
    ['the audit trail', sql`select * from audit.event`],
  ])('may not read or write %s', async (_what, statement) => {
    await expect(statement.execute(reports.db)).rejects.toThrow(/permission denied/);
  });
});

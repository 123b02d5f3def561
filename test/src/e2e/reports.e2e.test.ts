import { createDatabase, type AuditEventRow, type Database, type EhrDatabase, type PmsDatabase } from '@chartbridge/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertRevenueCycleFixture, type RevenueCycleFixture } from '../support/revenue-cycle-fixture.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The revenue-cycle reports through the gateway, over HTTP: who may run them, what they show (and
// never show: a patient's id or name to an analyst), how bad input is refused, and the CSV
// downloads with their audit records. The numbers are the fixture's (db/reports.fixture.test.ts works
// them out); every query here is narrowed to the fixture's own payers, providers or locations, so
// whatever else the database holds does not move them.

let platform: TestPlatform;
let owner: Database<PmsDatabase & EhrDatabase>;
let fx: RevenueCycleFixture;
const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const analyst = { as: { role: 'analyst' as const } };
const biller = { as: { role: 'biller' as const } };

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 5 });
  owner = createDatabase<PmsDatabase & EhrDatabase>({ target: platform.database.target, applicationName: 'reports-e2e-owner' });
  fx = await insertRevenueCycleFixture(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await platform?.stop();
});

interface KpiView {
  readonly value: string | null;
  readonly numerator: string;
  readonly denominator: string;
  readonly definition: string;
}

const KPIS = `query ($from: Date, $to: Date, $payerId: ID) { revenueCycle { kpis(from: $from, to: $to, payerId: $payerId) {
  from to payerId currency grossCollectionRate { value numerator denominator definition } daysInAr { value numerator denominator multiplier }
  netCollectionRate { value } cleanClaimRate { value numerator denominator } denialRate { value } chargeLag { value } values { kpi value } } } }`;

describe('KPIs', () => {
  test('an analyst gets them with their numerators, denominators and definitions', async () => {
    const res = await platform.query<{
      revenueCycle: { kpis: Record<string, unknown> & { grossCollectionRate: KpiView; values: unknown[] } };
    }>(KPIS, { ...Q1, payerId: fx.payers.A }, analyst);
    expect(res.errors).toBeUndefined();
    const kpis = res.data!.revenueCycle.kpis;
    // Payer A in Q1: payments 514.00 over charges 695.00 (db/reports.fixture.test.ts).
    expect(kpis).toMatchObject({ from: Q1.from, to: Q1.to, payerId: fx.payers.A, currency: 'USD' });
    expect(kpis.grossCollectionRate).toMatchObject({ value: '0.7396', numerator: '514.00', denominator: '695.00' });
    expect(kpis.grossCollectionRate.definition).toMatch(/^Payments ÷ gross charges/);
    expect(kpis.values).toHaveLength(9);
  });

  test('a biller gets them too', async () => {
    const res = await platform.query(KPIS, { ...Q1, payerId: fx.payers.B }, biller);
    expect(res.errors).toBeUndefined();
  });

  test.each(['front_desk', 'clinician', 'patient', 'compliance'] as const)('the %s role is refused', async (role) => {
    const res = await platform.query(KPIS, Q1, { as: { role, ...(role === 'patient' ? { patient: fx.patients['pat1'] } : {}) } });
    expect(res.data?.revenueCycle ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  test.each([
    ['a reversed period', { from: '2026-03-31', to: '2026-01-01' }, 'to'],
    ['a period without its start', { to: '2026-01-01' }, 'from'],
    ['an unbounded period', {}, 'from'],
    ['a period of more than five years', { from: '2020-01-01', to: '2026-01-01' }, 'to'],
    ['an unknown payer', { ...Q1, payerId: '00000000-0000-4000-8000-000000000000' }, 'payerId'],
    ['a malformed payer id', { ...Q1, payerId: 'acme' }, 'payerId'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_case, variables, field) => {
    const res = await platform.query(KPIS, variables, analyst);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
  });

  test('an unknown provider or location is BAD_USER_INPUT too', async () => {
    const res = await platform.query(
      '{ revenueCycle { payerMix(from: "2026-01-01", to: "2026-01-31", locationId: "00000000-0000-4000-8000-000000000000") { definition } } }',
      {},
      analyst,
    );
    expect(res.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'locationId' }) }),
    ]);
  });
});

interface ClaimRowView {
  readonly claimId: string;
  readonly patientKey: string;
  readonly balance: string;
}
interface BucketView {
  readonly bucket: string;
  readonly amount: string;
  readonly claimCount: number;
  readonly claims: { readonly edges: ReadonlyArray<{ readonly node: ClaimRowView }> };
}
interface AgingView {
  readonly groups: {
    readonly edges: ReadonlyArray<{
      readonly node: {
        readonly id: string | null;
        readonly buckets: readonly BucketView[];
        readonly total: { amount: string; claimCount: number };
      };
    }>;
    readonly pageInfo: { readonly hasNextPage: boolean };
  };
  readonly buckets: readonly BucketView[];
  readonly total: { readonly amount: string; readonly claimCount: number };
}

const AGING = `query ($asOf: Date, $payerId: ID) { revenueCycle { arAging(asOf: $asOf, groupBy: PROVIDER, payerId: $payerId) {
  groups(first: 20) { edges { node { id total { amount claimCount } buckets { bucket amount claimCount } } } pageInfo { hasNextPage } }
  total { amount claimCount }
  buckets { bucket amount claimCount claims(first: 10) { edges { node { claimId patientKey balance serviceDate ageDays payerName providerName } } } } } } }`;

const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('A/R aging and drill-down', () => {
  test('the total is the sum of the buckets, for the report and each group', async () => {
    const res = await platform.query<{ revenueCycle: { arAging: AgingView } }>(AGING, { asOf: Q1.to, payerId: fx.payers.A }, analyst);
    expect(res.errors).toBeUndefined();
    const aging = res.data!.revenueCycle.arAging;
    // Payer A on 03-31: C2 15.00 (P1, 61-90), C5 220.00 (P2, 31-60), C9 6.00 (P1, 31-60).
    expect(aging.total).toEqual({ amount: '241.00', claimCount: 3 });
    expect(aging.buckets.reduce((s, b) => s + cents(b.amount), 0)).toBe(cents(aging.total.amount));
    const groups = aging.groups.edges.map((e) => e.node);
    expect(aging.groups.pageInfo.hasNextPage).toBe(false);
    for (const group of groups) expect(group.buckets.reduce((s, b) => s + cents(b.amount), 0)).toBe(cents(group.total.amount));
    expect(new Map(groups.map((g) => [g.id, g.total.amount]))).toEqual(
      new Map([
        [fx.providers.P1, '21.00'],
        [fx.providers.P2, '220.00'],
      ]),
    );
  });

  test('drill-down rows carry a pseudonymous key, stable across requests, and no patient id or name', async () => {
    const ask = () => platform.query<{ revenueCycle: { arAging: AgingView } }>(AGING, { asOf: Q1.to, payerId: fx.payers.A }, analyst);
    const [first, second] = [await ask(), await ask()];
    const rows = (res: Awaited<ReturnType<typeof ask>>) =>
      res.data!.revenueCycle.arAging.buckets.flatMap((b) => b.claims.edges.map((e) => e.node));
    expect(rows(first).map((r) => [r.claimId, r.balance])).toEqual([
      [fx.claims.C5, '220.00'],
      [fx.claims.C9, '6.00'],
      [fx.claims.C2, '15.00'],
    ]);
    expect(rows(first).map((r) => r.patientKey)).toEqual(rows(second).map((r) => r.patientKey));
    for (const key of rows(first).map((r) => r.patientKey)) expect(key).toMatch(/^[0-9a-f]{32}$/);
    const text = JSON.stringify(first);
    for (const patientId of Object.values(fx.patients)) expect(text).not.toContain(patientId);
    expect(text).not.toMatch(/Patientpat|RFX-/);
  });

  test("an analyst following a row's patient gets FORBIDDEN; a biller gets the patient", async () => {
    const query = `query ($asOf: Date, $payerId: ID) { revenueCycle { claims(asOf: $asOf, inAr: true, payerId: $payerId, first: 1) { edges { node { claimId patientKey patient { id } } } } } }`;
    const asAnalyst = await platform.query<{ revenueCycle: { claims: { edges: Array<{ node: { patient: unknown } }> } } }>(
      query,
      { asOf: Q1.to, payerId: fx.payers.A },
      analyst,
    );
    expect(asAnalyst.data!.revenueCycle.claims.edges[0]!.node.patient).toBeNull();
    expect(asAnalyst.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const asBiller = await platform.query<{ revenueCycle: { claims: { edges: Array<{ node: { patient: { id: string } } }> } } }>(
      query,
      { asOf: Q1.to, payerId: fx.payers.A },
      biller,
    );
    expect(asBiller.errors).toBeUndefined();
    // C2 (DOS 01-10) is payer A's oldest claim in A/R; its patient is pat1.
    expect(asBiller.data!.revenueCycle.claims.edges[0]!.node.patient.id).toBe(fx.patients['pat1']);
  });

  test('a denial reason drills down to its claims', async () => {
    const res = await platform.query<{
      revenueCycle: {
        denials: { byReason: Array<{ reasonCode: string; amount: string; claims: { edges: Array<{ node: { claimId: string } }> } }> };
      };
    }>(
      `query ($from: Date, $to: Date, $providerId: ID) { revenueCycle { denials(from: $from, to: $to, providerId: $providerId) {
        byReason { groupCode reasonCode amount claims { edges { node { claimId } } } } } } }`,
      { ...Q1, providerId: fx.providers.P1 },
      analyst,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.revenueCycle.denials.byReason.map((g) => [g.reasonCode, g.amount, g.claims.edges.map((e) => e.node.claimId)])).toEqual(
      [
        ['97', '10.00', [fx.claims.C2]],
        ['16', '5.00', [fx.claims.C2]],
      ],
    );
  });
});

describe('the other reports', () => {
  test('payer mix, productivity, trend and compliance answer for an analyst', async () => {
    const res = await platform.query<{ revenueCycle: Record<string, unknown> }>(
      `query ($from: Date, $to: Date, $providerId: ID) { revenueCycle {
        payerMix(from: $from, to: $to, providerId: $providerId) { payers { payerName charges chargeShare } total { charges } }
        providerProductivity(from: $from, to: $to, providerId: $providerId) { rows(first: 2) { edges { node { month encounters procedures charges payments } } pageInfo { hasNextPage endCursor } } }
        trend(kpi: GROSS_COLLECTION_RATE, from: $from, to: $to, providerId: $providerId) { points { from to value { value numerator denominator } } }
        complianceReport(from: $from, to: $to, providerId: $providerId) { byRule { rule findings } findings(first: 2) { edges { node { rule claimId } } pageInfo { hasNextPage } } }
      } }`,
      { ...Q1, providerId: fx.providers.P1 },
      analyst,
    );
    expect(res.errors).toBeUndefined();
    const productivity = res.data!.revenueCycle['providerProductivity'] as {
      rows: { edges: Array<{ node: unknown }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    expect(productivity.rows.edges.map((e) => e.node)).toEqual([
      { month: '2026-01', encounters: 2, procedures: 3, charges: '320.00', payments: '370.00' },
      { month: '2026-02', encounters: 1, procedures: 1, charges: '125.00', payments: '170.00' },
    ]);
    expect(productivity.rows.pageInfo.hasNextPage).toBe(true);
    // The next page starts after the cursor; a cursor from elsewhere is refused with its field.
    const PAGE = `query ($from: Date, $to: Date, $providerId: ID, $after: String) { revenueCycle {
      providerProductivity(from: $from, to: $to, providerId: $providerId) { rows(first: 2, after: $after) { edges { node { month payments } } pageInfo { hasNextPage } } } } }`;
    const next = await platform.query<{
      revenueCycle: { providerProductivity: { rows: { edges: Array<{ node: unknown }>; pageInfo: { hasNextPage: boolean } } } };
    }>(PAGE, { ...Q1, providerId: fx.providers.P1, after: productivity.rows.pageInfo.endCursor }, analyst);
    expect(next.data!.revenueCycle.providerProductivity.rows).toEqual({
      edges: [{ node: { month: '2026-03', payments: '94.00' } }],
      pageInfo: { hasNextPage: false },
    });
    const stray = await platform.query(
      PAGE,
      { ...Q1, providerId: fx.providers.P1, after: Buffer.from(JSON.stringify(['nobody 2026-01'])).toString('base64url') },
      analyst,
    );
    expect(stray.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(res.data!.revenueCycle['complianceReport']).toMatchObject({ findings: { pageInfo: { hasNextPage: true } } });
  });
});

describe('CSV downloads', () => {
  const download = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(new URL(path, platform.gatewayUrl), { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const bearer = async (role: 'analyst' | 'biller' | 'front_desk') => ({ authorization: `Bearer ${await platform.token({ role })}` });

  test('a KPI report downloads as CSV with a token, and the request is audited', async () => {
    const res = await download(`/reports/kpis.csv?from=${Q1.from}&to=${Q1.to}&payerId=${fx.payers.A}`, {
      ...(await bearer('analyst')),
      'x-request-id': 'reports-csv-kpis',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kpis_2026-01-01_2026-03-31.csv"');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'report,from,to,as_of,filter_payer_id,filter_provider_id,filter_location_id,kpi,value,unit,numerator,numerator_quantity,denominator,denominator_quantity,multiplier,definition',
    );
    expect(lines).toHaveLength(11); // the header, nine KPIs, and the last line's end
    expect(lines.find((l) => l.includes(',GROSS_COLLECTION_RATE,'))).toMatch(
      /^kpis,2026-01-01,2026-03-31,2026-03-31,[0-9a-f-]{36},,,GROSS_COLLECTION_RATE,0\.7396,RATIO,514\.00,MONEY,695\.00,MONEY,1,"Payments ÷ gross charges/,
    );
    // Recorded under the gateway's own request id, the caller's kept as the correlation id.
    const { rows } = await sql<AuditEventRow>`select * from audit.event where request_id = ${res.headers.get('x-request-id')}`.execute(
      platform.owner.db,
    );
    expect(rows.map((r) => [r.chain, r.action, r.operation_name, r.outcome, r.role, r.purpose, r.correlation_id])).toEqual([
      ['gateway', 'graphql.request', 'RevenueCycleKpisCsv', 'success', 'analyst', 'OPERATIONS', 'reports-csv-kpis'],
    ]);
  });

  test('without a token it is 401 with a JSON error and no details', async () => {
    const res = await download(`/reports/kpis.csv?from=${Q1.from}&to=${Q1.to}`);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'A bearer token is required' } });
  });

  test('a role that may not run reports gets 403', async () => {
    const res = await download(`/reports/payer-mix.csv?from=${Q1.from}&to=${Q1.to}`, await bearer('front_desk'));
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  test.each([
    ['a reversed period', `/reports/denials.csv?from=2026-03-01&to=2026-01-01`, 'to'],
    ['an unknown parameter', `/reports/denials.csv?from=2026-01-01&to=2026-01-31&patientId=x`, 'patientId'],
    ['a trend without its KPI', `/reports/trend.csv?from=2026-01-01&to=2026-01-31`, 'kpi'],
    ['an impossible date', `/reports/ar-aging.csv?asOf=2026-02-30`, 'asOf'],
  ])('%s is 400 naming the parameter', async (_case, path, field) => {
    const res = await download(path, await bearer('analyst'));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: expect.stringMatching(/BAD_USER_INPUT/), field } });
  });

  test('aging, trend and drill-down pages download too; a page names the next one', async () => {
    const auth = await bearer('biller');
    const aging = await download(`/reports/ar-aging.csv?asOf=${Q1.to}&groupBy=payer&providerId=${fx.providers.P1}`, auth);
    expect(aging.status).toBe(200);
    // P1 on 03-31: C6 125.00 (payer B, 0-30), C9 6.00 (A, 31-60), C2 15.00 (A, 61-90), C11 50.00 (B, 91-120): 2 groups x 5 buckets.
    expect(aging.text.trim().split('\r\n')).toHaveLength(11);
    const trend = await download(
      `/reports/trend.csv?kpi=denial_rate&from=${Q1.from}&to=${Q1.to}&interval=month&providerId=${fx.providers.P2}`,
      auth,
    );
    expect(trend.status).toBe(200);
    expect(trend.text.trim().split('\r\n')).toHaveLength(4);
    const page = await download(`/reports/claims.csv?asOf=${Q1.to}&inAr=true&providerId=${fx.providers.P1}&first=2`, auth);
    expect(page.status).toBe(200);
    expect(page.text.trim().split('\r\n')).toHaveLength(3);
    expect(page.text).not.toContain(fx.patients['pat1']);
    const next = page.headers.get('x-next-cursor');
    expect(next).toBeTruthy();
    const rest = await download(
      `/reports/claims.csv?asOf=${Q1.to}&inAr=true&providerId=${fx.providers.P1}&first=2&after=${encodeURIComponent(next ?? '')}`,
      auth,
    );
    expect(rest.text.trim().split('\r\n')).toHaveLength(3);
    expect(rest.headers.get('x-next-cursor')).toBeNull();
  });
});

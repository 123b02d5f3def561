import { randomBytes } from 'node:crypto';
import { createDatabase, migrateAll, type Database, type EhrDatabase, type PmsDatabase } from '@chartbridge/db';
import { parsePseudonymKey } from '@chartbridge/pms';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { holdLock } from '../support/held-lock.js';
import { startProcess } from '../support/processes.js';
import { insertRevenueCycleFixture, type RevenueCycleFixture } from '../support/revenue-cycle-fixture.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Where the reports read: REPORTS_DATABASE_URL (a read replica) when set, the primary otherwise,
// for the API and for `pnpm report` alike. A replica holds what the primary holds; here the two
// databases are made to differ on purpose (the claims are only in the "replica"), so a number can
// only be right if it was read from the right one. Two databases need a server: on embedded
// PostgreSQL this file is skipped (CI runs it on PostgreSQL).

const REPORT_COMMAND = 'subgraphs/pms/src/reports/report-command.ts';
const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const analyst = { as: { role: 'analyst' as const } };
const PSEUDONYM_KEY = randomBytes(32).toString('base64');

describe.skipIf(!SERVER_URL)('reports on REPORTS_DATABASE_URL', () => {
  let replica: TestDatabase;
  let replicaUrl: string;
  let replicaOwner: Database<PmsDatabase & EhrDatabase>;
  let platform: TestPlatform;
  let fx: RevenueCycleFixture;

  beforeAll(async () => {
    replica = await freshDatabase();
    if (replica.kind !== 'server') throw new Error('a server database was expected');
    replicaUrl = replica.url;
    replicaOwner = createDatabase<PmsDatabase & EhrDatabase>({ target: replica.target, applicationName: 'replica-owner' });
    await migrateAll(replicaOwner.db);
    fx = await insertRevenueCycleFixture(replicaOwner.db);
    // The primary: registered patients, no claims at all.
    platform = await startTestPlatform({
      patients: 10,
      seed: 3,
      reports: {
        databaseUrl: replicaUrl,
        pseudonymKey: { kind: 'configured', key: parsePseudonymKey(PSEUDONYM_KEY) },
        statementTimeoutMs: 2000,
      },
    });
  });

  afterAll(async () => {
    await platform?.stop();
    await replicaOwner?.close();
    await replica?.drop();
  });

  /** `pnpm report` in its own process, with the platform's primary as DATABASE_URL. */
  async function report(args: string[], env: Record<string, string> = {}) {
    if (platform.database.kind !== 'server') throw new Error('a server database was expected');
    const run = startProcess(REPORT_COMMAND, args, { DATABASE_URL: platform.database.url, REPORTS_PSEUDONYM_KEY: PSEUDONYM_KEY, ...env });
    const code = await run.exited;
    return { code, stdout: run.stdout(), output: run.output() };
  }

  test("the API's reports and their filters read the reports database, not the primary", async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pms.claim`.execute(platform.owner.db);
    expect(rows[0]?.n).toBe(0);
    const res = await platform.query<{
      revenueCycle: { kpis: { grossCollectionRate: { value: string; numerator: string; denominator: string } } };
    }>(
      'query ($from: Date, $to: Date, $payerId: ID) { revenueCycle { kpis(from: $from, to: $to, payerId: $payerId) { grossCollectionRate { value numerator denominator } } } }',
      { ...Q1, payerId: fx.payers.A },
      analyst,
    );
    // The payer exists only in the replica; its Q1 numbers are the fixture's (db/reports.fixture.test.ts).
    expect(res.errors).toBeUndefined();
    expect(res.data?.revenueCycle.kpis.grossCollectionRate).toEqual({ value: '0.7396', numerator: '514.00', denominator: '695.00' });
  });

  test('pnpm report prints, from REPORTS_DATABASE_URL, the very CSV the API answers', async () => {
    const api = await platform.query<{ revenueCycle: { kpis: { csv: string } } }>(
      'query ($from: Date, $to: Date, $payerId: ID) { revenueCycle { kpis(from: $from, to: $to, payerId: $payerId) { csv } } }',
      { ...Q1, payerId: fx.payers.A },
      analyst,
    );
    expect(api.errors).toBeUndefined();
    const command = await report(['kpis', '--from', Q1.from, '--to', Q1.to, '--payer', fx.payers.A], { REPORTS_DATABASE_URL: replicaUrl });
    expect(command.code, command.output).toBe(0);
    expect(command.stdout).toBe(api.data?.revenueCycle.kpis.csv);
    expect(command.stdout).toContain('514.00');
  });

  test('drill-down rows carry the same pseudonymous keys in the API and the command, and no patient id', async () => {
    const api = await platform.query<{ revenueCycle: { claims: { edges: Array<{ node: { claimId: string; patientKey: string } }> } } }>(
      'query ($payerId: ID) { revenueCycle { claims(asOf: "2026-03-31", inAr: true, payerId: $payerId, first: 100) { edges { node { claimId patientKey } } } } }',
      { payerId: fx.payers.A },
      analyst,
    );
    expect(api.errors).toBeUndefined();
    const fromApi = api.data?.revenueCycle.claims.edges.map((e) => e.node) ?? [];
    expect(fromApi.length).toBeGreaterThan(0);
    const command = await report(['claims', '--as-of', '2026-03-31', '--in-ar', '--payer', fx.payers.A, '--format', 'json'], {
      REPORTS_DATABASE_URL: replicaUrl,
    });
    expect(command.code, command.output).toBe(0);
    const json = JSON.parse(command.stdout) as { claims: Array<Record<string, unknown>> };
    expect(json.claims.map((c) => ({ claimId: c['claimId'], patientKey: c['patientKey'] }))).toEqual(fromApi);
    for (const patientId of Object.values(fx.patients)) expect(command.stdout).not.toContain(patientId);
  });

  test('without REPORTS_DATABASE_URL the command reads DATABASE_URL, where that payer is unknown', async () => {
    const command = await report(['kpis', '--from', Q1.from, '--to', Q1.to, '--payer', fx.payers.A]);
    expect(command.code).toBe(1);
    expect(command.stdout).toBe('');
    expect(command.output).toMatch(/^report: --payer: /m);
  });

  test('a report statement past REPORTS_STATEMENT_TIMEOUT_MS is cancelled: the API answers an error, the command says why', async () => {
    // On the replica, one transaction holds every derived table locked, so a report's statement waits.
    const release = await holdLock(
      replicaOwner.db,
      sql`lock table reports.claim_fact, reports.claim_day, reports.daily, reports.monthly, reports.ar_span, reports.ar_day, reports.ar_day_total in access exclusive mode`,
    );
    const KPIS = `query($from: Date, $to: Date) { revenueCycle { kpis(from: $from, to: $to) { values { kpi value } } } }`;
    try {
      const started = performance.now();
      const res = await platform.query(KPIS, Q1, analyst);
      const waitedMs = performance.now() - started;
      expect(res.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([['Unexpected error', 'INTERNAL_SERVER_ERROR']]);
      // The platform's limit here is 2 s: cancelled then, not sooner, and not left waiting for the lock.
      expect(waitedMs).toBeGreaterThanOrEqual(1900);
      expect(waitedMs).toBeLessThan(10_000);
      const cli = await report(['kpis', '--from', Q1.from, '--to', Q1.to, '--format', 'csv'], {
        REPORTS_DATABASE_URL: replicaUrl,
        REPORTS_STATEMENT_TIMEOUT_MS: '1000',
      });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toBe('');
      expect(cli.output).toMatch(/ran longer than REPORTS_STATEMENT_TIMEOUT_MS and was cancelled/);
    } finally {
      await release();
    }
    const after = await platform.query<{ revenueCycle: { kpis: { values: unknown[] } } }>(KPIS, Q1, analyst);
    expect(after.errors).toBeUndefined();
    expect(after.data?.revenueCycle.kpis.values.length).toBeGreaterThan(0);
  });

  test('a usage error or a refused argument exits 1 naming it, with nothing on standard output', async () => {
    const unknown = await report(['aging', '--as-of', '2026-03-31']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.output).toContain('report: Unknown report aging');
    const reversed = await report(['kpis', '--from', Q1.to, '--to', Q1.from]);
    expect(reversed.code).toBe(1);
    expect(reversed.stdout).toBe('');
    expect(reversed.output).toMatch(/^report: --to: /m);
  });
});

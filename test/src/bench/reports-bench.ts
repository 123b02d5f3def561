import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, generateFieldKeyring, migrateAll, useReportsTimeZone } from '@chartbridge/db';
import { createTokenVerifier, generateDevSigningKey, issueDevToken, startPlatform } from '@chartbridge/gateway';
import { InternalTokenKey, signInternalToken, type Identity } from '@chartbridge/kit';
import {
  arAgingAggregateQuery,
  claimDrillQuery,
  complianceCountsQuery,
  complianceFindingsQuery,
  denialsAggregateQuery,
  kpiAggregateQuery,
  payerMixAggregateQuery,
  providerProductivityAggregateQuery,
  REPORTS_SESSION_SETTINGS,
  SeededRandom,
  splitPeriod,
  type ReportsDatabase,
} from '@chartbridge/pms';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { Agent, request } from 'undici';
import { startBarePath } from './bare-path.js';

// `pnpm bench:reports -- --patients 100000`: seeds a large practice on a real PostgreSQL server, then
// times every revenue-cycle report through the gateway (HTTP, JWT, policy, audit, federation) beside
// the same SQL aggregate run directly on a connection of its own, and writes docs/BENCHMARKS.md.
// Targets (the analytics issue): 95th percentile within a second, API/SQL ratio under 1.5.

const USAGE = 'usage: pnpm bench:reports -- [--patients N] [--seed S] [--iterations N] [--only NAME] [--reuse] [--no-write]';
const TARGET_P95_MS = 1000;
const TARGET_RATIO = 1.5;
/** The seed's "today" (SyntheticPractice's default): reports cover the year before it. */
const TODAY = '2026-11-20';
const PERIOD = { from: '2025-11-21', to: TODAY };
const TIME_ZONE = 'America/New_York';

interface Options {
  readonly patients: number;
  readonly seed: number;
  readonly iterations: number;
  readonly reuse: boolean;
  /** Only the reports whose names start with this (case aside); such a partial run writes no file. */
  readonly only: string | null;
  readonly write: boolean;
}

/** The cases `--only` selects: every one without it, else those whose names start with it (case aside). */
function selectedCases(only: string | null): Case[] {
  return cases().filter((c) => only === null || c.name.toLowerCase().startsWith(only));
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      patients: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      iterations: { type: 'string', default: '40' },
      reuse: { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  const iterations = Number(values.iterations);
  if (!Number.isInteger(patients) || patients < 100) throw new RangeError(`--patients must be a whole number of at least 100\n${USAGE}`);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be a whole number\n${USAGE}`);
  if (!Number.isInteger(iterations) || iterations < 5 || iterations > 1000)
    throw new RangeError(`--iterations must be from 5 to 1000\n${USAGE}`);
  const only = values.only?.trim().toLowerCase() || null;
  if (selectedCases(only).length === 0) {
    throw new RangeError(
      `--only matches no report; they are:\n${cases()
        .map((c) => `  ${c.name}`)
        .join('\n')}\n${USAGE}`,
    );
  }
  return { patients, seed, iterations, reuse: values.reuse, only, write: !values['no-write'] && only === null };
}

/** The benchmark's own database on the server of BENCH_DATABASE_URL, or DATABASE_URL's, or the local one. */
function benchDatabaseUrl(): string {
  const explicit = process.env['BENCH_DATABASE_URL'];
  if (explicit) return explicit;
  const url = new URL(process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/chartbridge_bench';
  return url.toString();
}

async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`The benchmark database name ${name} is not a plain identifier`);
  admin.pathname = '/postgres';
  const db = createDatabase<unknown>({
    target: { kind: 'server', url: admin.toString(), poolSize: 1 },
    applicationName: 'chartbridge-bench-admin',
  });
  try {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${name}`.execute(db.db);
    if (rows[0]?.n === 0) await sql`create database ${sql.id(name)}`.execute(db.db);
  } finally {
    await db.close();
  }
}

async function patientCount(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pms.patient`.execute(db).catch(() => ({ rows: [{ n: 0 }] }));
  return rows[0]?.n ?? 0;
}

/** Runs `pnpm seed` against the benchmark database (the command's progress bar shows on the terminal). */
function runSeed(url: string, options: Options): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['-s', 'seed', '--', '--patients', String(options.patients), '--seed', String(options.seed), '--reset'], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`pnpm seed exited with ${code}`))));
  });
}

interface Case {
  readonly name: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** The report's SQL aggregate(s), run directly. */
  readonly sql: ReadonlyArray<RawBuilder<unknown>>;
}

const KPI_FIELDS = 'kpi value numerator denominator';

function cases(): Case[] {
  const filters = {};
  const period = PERIOD;
  return [
    {
      name: 'kpis (8 KPIs, 12 months)',
      query: `query($from: Date, $to: Date) { revenueCycle { kpis(from: $from, to: $to) { values { ${KPI_FIELDS} } } } }`,
      variables: period,
      sql: [kpiAggregateQuery({ periods: [period], filters, timeZone: TIME_ZONE })],
    },
    {
      name: 'arAging by payer',
      query: `query($asOf: Date) { revenueCycle { arAging(asOf: $asOf, groupBy: PAYER) { groups(first: 20) { edges { node { id buckets { bucket amount claimCount } total { amount claimCount } } } } total { amount claimCount } } } }`,
      variables: { asOf: TODAY },
      sql: [arAgingAggregateQuery({ asOf: TODAY, groupBy: 'payer', filters, timeZone: TIME_ZONE })],
    },
    {
      name: 'arAging by provider (first 100 groups)',
      query: `query($asOf: Date) { revenueCycle { arAging(asOf: $asOf, groupBy: PROVIDER) { groups(first: 100) { edges { node { id buckets { bucket amount claimCount } } } pageInfo { hasNextPage } } total { amount claimCount } } } }`,
      variables: { asOf: TODAY },
      sql: [arAgingAggregateQuery({ asOf: TODAY, groupBy: 'provider', filters, timeZone: TIME_ZONE })],
    },
    {
      name: 'denials (reason, payer, procedure)',
      query: `query($from: Date, $to: Date) { revenueCycle { denials(from: $from, to: $to) { total { amount } byReason { groupCode reasonCode amount deniedLines } byPayer { payerId amount } byProcedure { procedureCode amount } } } }`,
      variables: period,
      sql: [denialsAggregateQuery({ period, filters })],
    },
    {
      name: 'payerMix',
      query: `query($from: Date, $to: Date) { revenueCycle { payerMix(from: $from, to: $to) { payers { payerId charges chargeShare encounterCount } total { charges } } } }`,
      variables: period,
      sql: [payerMixAggregateQuery({ period, filters })],
    },
    {
      name: 'providerProductivity (per month, first 100 rows)',
      query: `query($from: Date, $to: Date) { revenueCycle { providerProductivity(from: $from, to: $to) { rows(first: 100) { edges { node { providerId month encounters procedures charges payments } } pageInfo { hasNextPage } } } } }`,
      variables: period,
      sql: [providerProductivityAggregateQuery({ period, filters })],
    },
    {
      name: 'trend denial rate (12 months)',
      query: `query($from: Date, $to: Date) { revenueCycle { trend(kpi: DENIAL_RATE, from: $from, to: $to, interval: MONTH) { points { from value { value numerator denominator } } } } }`,
      variables: period,
      sql: [kpiAggregateQuery({ periods: splitPeriod(period, 'month'), filters, timeZone: TIME_ZONE, kpis: ['DENIAL_RATE'] })],
    },
    {
      name: 'trend days in A/R (12 months)',
      query: `query($from: Date, $to: Date) { revenueCycle { trend(kpi: DAYS_IN_AR, from: $from, to: $to, interval: MONTH) { points { from value { value numerator denominator } } } } }`,
      variables: period,
      sql: [kpiAggregateQuery({ periods: splitPeriod(period, 'month'), filters, timeZone: TIME_ZONE, kpis: ['DAYS_IN_AR'] })],
    },
    {
      name: 'trend A/R over 90 days (53 weeks)',
      query: `query($from: Date, $to: Date) { revenueCycle { trend(kpi: AR_OVER_90, from: $from, to: $to, interval: WEEK) { points { from value { value numerator denominator } } } } }`,
      variables: period,
      sql: [kpiAggregateQuery({ periods: splitPeriod(period, 'week'), filters, timeZone: TIME_ZONE, kpis: ['AR_OVER_90'] })],
    },
    {
      name: 'drill-down: 50 claims in A/R 91-120',
      query: `query($asOf: Date) { revenueCycle { claims(asOf: $asOf, inAr: true, agingBucket: DAYS_91_120, first: 50) { edges { node { claimId patientKey serviceDate balance ageDays } } } } }`,
      variables: { asOf: TODAY },
      sql: [claimDrillQuery({ asOf: TODAY, aging: { bucket: 'DAYS_91_120' } }, { first: 51 }, TIME_ZONE)],
    },
    {
      name: 'complianceReport (counts and first 50)',
      query: `query($from: Date, $to: Date) { revenueCycle { complianceReport(from: $from, to: $to) { byRule { rule findings claims } byProvider(first: 100) { edges { node { rule providerId findings } } } findings(first: 50) { edges { node { rule claimId } } } } } }`,
      variables: period,
      sql: [
        complianceCountsQuery({ period, filters, timeZone: TIME_ZONE }),
        complianceFindingsQuery({ period, filters, timeZone: TIME_ZONE }, { first: 51 }),
      ],
    },
  ];
}

/** Nearest-rank percentile of a sample, in milliseconds. */
function percentile(sample: readonly number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Untimed rounds before a report's timed ones, for a running service's steady state: at least
 * WARM_UP_MIN_ROUNDS and WARM_UP_MIN_MS, then on to WARM_UP_ROUNDS unless that takes WARM_UP_MAX_MS.
 * V8 compiles a code path fully only after hundreds to a few thousand runs: sent to the PMS alone
 * (in one session's runs on the benchmark data, the sides in a fixed order, 40 timed runs each), the
 * three trends added 1.9 to 3.9 ms to their SQL after 3 s of warm-up (about 250 runs each) and at
 * most 1.6 ms after 20 s. The warm-up runs in rounds like the timed runs: when each side warmed up
 * alone in turn, the others' connections sat idle past their pools' idle timeout (pg's 10 s), so the
 * timed rounds began by opening new connections to cold backends.
 */
const WARM_UP_MIN_ROUNDS = 20;
const WARM_UP_MIN_MS = 9000;
const WARM_UP_ROUNDS = 1000;
const WARM_UP_MAX_MS = 45_000;

/**
 * Before the first report: rounds of every selected report's sides for PLATFORM_WARM_UP_MS (at least
 * one round), so the code every report shares (HTTP, the GraphQL servers, the gateway, pg) is
 * compiled before any is timed. Without it the first report timed paid for the rest: in one session's
 * scratch runs of the three trends (300 warm-up runs a side), the report run first spent 0.4 to 0.8 ms
 * more before its statement than the same report run again last.
 */
const PLATFORM_WARM_UP_MS = 20_000;

/**
 * Timed rounds: at least `--iterations`, and more until they have taken TIMED_MIN_MS (at most
 * TIMED_MAX_ROUNDS): a fast report's run varies by milliseconds from one to the next on this machine,
 * as much as a trend's whole API − SQL, and 40 of them leave its median as uncertain.
 */
const TIMED_MIN_MS = 10_000;
const TIMED_MAX_ROUNDS = 2000;

/**
 * The report the design's floor is measured on (see bare-path.ts): the trend whose SQL is the
 * fastest here, so the one where a fixed cost per request weighs most.
 */
const FLOOR_REPORT = 'trend A/R over 90 days (53 weeks)';

/** The floor's medians: the report's SQL, the same SQL through the bare path, and the report through the API. */
interface Floor {
  readonly sqlP50: number;
  readonly bareP50: number;
  readonly apiP50: number;
}

/** The stream of the project's seeded generator that orders each round's runs. */
const ORDER_STREAM = 0x42_4f_52;

type Side = () => Promise<void>;

/**
 * Runs rounds of one run of each side, each round in a new random order, while `more(rounds done,
 * ms elapsed)` holds; `record` gets each run's side and time.
 */
async function inRounds(
  sides: readonly Side[],
  random: SeededRandom,
  more: (rounds: number, elapsedMs: number) => boolean,
  record?: (side: number, ms: number) => void,
): Promise<void> {
  const started = performance.now();
  for (let i = 0; more(i, performance.now() - started); i++) {
    const order = sides.map((_, k) => ({ k, key: random.next() })).sort((x, y) => x.key - y.key);
    for (const { k } of order) {
      const runStarted = performance.now();
      await sides[k]?.();
      record?.(k, performance.now() - runStarted);
    }
  }
}

/** A report's (or any set of sides') untimed rounds: see WARM_UP_MIN_ROUNDS. */
async function warmUp(sides: readonly Side[], random: SeededRandom): Promise<void> {
  await inRounds(sides, random, (i, ms) => i < WARM_UP_MIN_ROUNDS || ms < WARM_UP_MIN_MS || (i < WARM_UP_ROUNDS && ms < WARM_UP_MAX_MS));
}

/**
 * Times ways of running a report (after their warm-up rounds) in rounds of one run each, so a machine
 * that slows down or speeds up during the sample affects every side alike. Each round runs the sides
 * in a new random order: on this machine a run is slower or faster by up to 20% depending on which
 * side ran just before it, and a fixed order would hand that to one side. One sample per side, in order.
 */
async function timeInRounds(iterations: number, sides: readonly Side[], seed: number): Promise<number[][]> {
  const random = new SeededRandom(seed, ORDER_STREAM);
  await warmUp(sides, random);
  const samples = sides.map(() => [] as number[]);
  await inRounds(
    sides,
    random,
    (i, ms) => i < iterations || (ms < TIMED_MIN_MS && i < TIMED_MAX_ROUNDS),
    (k, ms) => samples[k]?.push(ms),
  );
  return samples;
}

/** The stream of the seeded generator that resamples the timed rounds for the ratio's interval. */
const BOOTSTRAP_STREAM = 0x42_53_54;
const BOOTSTRAP_RESAMPLES = 1000;

/**
 * A 95% interval for API/SQL (the ratio of the medians): a percentile bootstrap over the timed rounds,
 * each resample drawing as many rounds as were run, with replacement, a round's API and SQL runs kept
 * together: how precisely this run measured its own ratio. It says nothing of the drift between
 * runs, which on this kind of machine is larger (the same trend's ratio was 1.55 in one run, its
 * interval 1.54 to 1.57, and 1.44 to 1.84 over seven runs).
 */
function ratioInterval(api: readonly number[], sql: readonly number[], seed: number): readonly [number, number] {
  const n = Math.min(api.length, sql.length);
  if (n === 0) return [Number.NaN, Number.NaN];
  const random = new SeededRandom(seed, BOOTSTRAP_STREAM);
  const apiDrawn: number[] = new Array<number>(n).fill(0);
  const sqlDrawn: number[] = new Array<number>(n).fill(0);
  const ratios: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    for (let i = 0; i < n; i++) {
      const k = random.int(0, n - 1);
      apiDrawn[i] = api[k] ?? Number.NaN;
      sqlDrawn[i] = sql[k] ?? Number.NaN;
    }
    ratios.push(percentile(apiDrawn, 50) / percentile(sqlDrawn, 50));
  }
  return [percentile(ratios, 2.5), percentile(ratios, 97.5)];
}

interface Row {
  readonly name: string;
  /** Why the API side could not be timed (the gateway's subgraph timeout, say); null when it was. */
  readonly error: string | null;
  readonly apiP50: number;
  readonly apiP95: number;
  /** The same query sent straight to the PMS subgraph (no gateway): what the subgraph alone adds. */
  readonly subgraphP50: number;
  readonly sqlP50: number;
  readonly sqlP95: number;
  readonly ratio: number;
  /** A 95% bootstrap interval for `ratio` (see ratioInterval). */
  readonly ratioLow: number;
  readonly ratioHigh: number;
  readonly ok: boolean;
}

async function sizes(db: Kysely<unknown>): Promise<Record<string, number>> {
  const tables = [
    'pms.patient',
    'pms.appointment',
    'pms.encounter',
    'pms.claim',
    'pms.claim_line',
    'pms.remittance',
    'pms.remittance_line',
    'pms.remittance_adjustment',
    'pms.patient_payment',
    'ehr.clinical_note',
    'ehr.procedure',
    'reports.claim_fact',
    'reports.claim_day',
    'reports.daily',
    'reports.monthly',
    'reports.ar_span',
    'reports.ar_day',
    'reports.ar_day_total',
    'reports.compliance_finding',
    'reports.encounter_daily',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(db);
    out[t] = rows[0]?.n ?? 0;
  }
  return out;
}

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '-' : ms.toFixed(Math.abs(ms) < 10 ? 2 : 1);
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const owner = createDatabase<unknown>({ target: { kind: 'server', url, poolSize: 2 }, applicationName: 'chartbridge-bench' });
  let seedMs: number | null = null;
  try {
    const existing = await patientCount(owner.db);
    if (options.reuse && existing === options.patients) {
      console.log(`reusing ${existing} patients in ${new URL(url).pathname.slice(1)}`);
    } else {
      console.log(`seeding ${options.patients} patients (seed ${options.seed}) into ${new URL(url).pathname.slice(1)}`);
      seedMs = await runSeed(url, options);
    }
    // Migrations the database has not had yet (a reused one), then the A/R rollups for the practice's
    // zone, as the PMS would compute them when it starts; timed, since a zone change costs this.
    await migrateAll(owner.db);
    const zoneStarted = performance.now();
    const zoneMs = (await useReportsTimeZone(owner.db, TIME_ZONE)) ? performance.now() - zoneStarted : null;
    if (zoneMs !== null) console.log(`A/R rollups computed for ${TIME_ZONE} in ${(zoneMs / 1000).toFixed(1)} s`);
    // The state autovacuum keeps a live database in: statistics current, visibility maps set (index-only scans).
    await sql`vacuum (analyze)`.execute(owner.db);
    const counts = await sizes(owner.db);
    const { rows: version } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(owner.db);

    const signingKey = await generateDevSigningKey();
    const internalKey = new InternalTokenKey(randomBytes(32));
    const platform = await startPlatform({
      verifyToken: createTokenVerifier({
        issuer: 'chartbridge-bench',
        audience: 'chartbridge-api',
        keys: { kind: 'local', publicJwk: signingKey.publicJwk },
      }),
      internalKey,
      keyring: generateFieldKeyring('bench'),
      database: { url },
      ports: { gateway: 0, pms: 0, ehr: 0 },
      host: '127.0.0.1',
      production: true,
      logLevel: 'warn',
      logSink: () => {},
    });
    // The SQL side runs as the reports role, on a connection of its own, like the subgraph's.
    const direct = createDatabase<ReportsDatabase>({
      target: { kind: 'server', url, poolSize: 1 },
      role: 'chartbridge_reports',
      settings: REPORTS_SESSION_SETTINGS,
      applicationName: 'chartbridge-bench-sql',
    });
    // The API's client: undici's request on a keep-alive connection, as lean a client of HTTP as pg is of
    // PostgreSQL on the SQL side (fetch's WHATWG streams and objects cost about 0.5 ms a request more).
    const client = new Agent({ connections: 1 });
    const rows: Row[] = [];
    let fixedCost: { readonly backToBack: number; readonly afterPause: number } | null = null;
    let floor: Floor | null = null;
    try {
      const token = await issueDevToken(
        signingKey,
        { role: 'analyst', sub: 'bench-analyst' },
        { issuer: 'chartbridge-bench', audience: 'chartbridge-api' },
      );
      // What the gateway forwards for this caller: the identity it verified, in a token it signs per request.
      const identity: Identity = {
        subject: 'bench-analyst',
        role: 'analyst',
        scopes: [],
        patientId: null,
        partnerId: null,
        providerId: null,
        purpose: 'OPERATIONS',
        breakGlassReason: null,
        client: null,
      };
      /** One request to `url` with `authorization` (none: null); throws the first GraphQL error, or the HTTP status without one. */
      const post = async (url: string, authorization: string | null, query: string, variables: Record<string, unknown>): Promise<void> => {
        const res = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
          body: JSON.stringify({ query, variables }),
          dispatcher: client,
        });
        const body = (await res.body.json()) as { errors?: Array<{ message?: string }> };
        if (body.errors?.length) throw new Error(body.errors[0]?.message ?? 'GraphQL error');
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      };
      /** Through the gateway, as a client calls. */
      const postApi = (query: string, variables: Record<string, unknown>) => post(platform.gatewayUrl, `Bearer ${token}`, query, variables);
      /** Straight to the PMS subgraph, as the gateway forwards a query the PMS answers whole. */
      const postSubgraph = async (query: string, variables: Record<string, unknown>) =>
        post(platform.pmsUrl, `Bearer ${await signInternalToken(internalKey, identity, randomUUID())}`, query, variables);
      const selected = selectedCases(options.only).map((c) => ({
        c,
        runSql: async () => {
          for (const q of c.sql) await q.execute(direct.db);
        },
        runApi: () => postApi(c.query, c.variables),
        runSubgraph: () => postSubgraph(c.query, c.variables),
      }));
      // A side that fails is reported by its report's own rounds; here it is only skipped.
      const quiet =
        (side: Side): Side =>
        () =>
          side().catch(() => undefined);
      await inRounds(
        selected.flatMap(({ runSql, runApi, runSubgraph }) => [runSql, runApi, runSubgraph].map(quiet)),
        new SeededRandom(options.seed, ORDER_STREAM),
        (i, ms) => i < 1 || ms < PLATFORM_WARM_UP_MS,
      );
      for (const { c, runSql, runApi, runSubgraph } of selected) {
        let direct_: number[] = [];
        let api: number[] = [Number.NaN];
        let subgraph: number[] = [Number.NaN];
        let error: string | null = null;
        try {
          [direct_ = [], api = [], subgraph = []] = await timeInRounds(options.iterations, [runSql, runApi, runSubgraph], options.seed);
        } catch (e) {
          error = e instanceof Error ? e.message : 'failed';
          // The SQL side alone, for the row.
          [direct_ = []] = await timeInRounds(options.iterations, [runSql], options.seed);
        }
        const row = {
          name: c.name,
          error,
          apiP50: percentile(api, 50),
          apiP95: percentile(api, 95),
          subgraphP50: percentile(subgraph, 50),
          sqlP50: percentile(direct_, 50),
          sqlP95: percentile(direct_, 95),
          ratio: percentile(api, 50) / percentile(direct_, 50),
        };
        const [ratioLow, ratioHigh] = error === null ? ratioInterval(api, direct_, options.seed) : [Number.NaN, Number.NaN];
        rows.push({ ...row, ratioLow, ratioHigh, ok: error === null && row.apiP95 <= TARGET_P95_MS && row.ratio < TARGET_RATIO });
        if (error) console.log(`${c.name}: failed through the API or the PMS alone (${error}); SQL p50 ${fmt(row.sqlP50)} ms`);
        else
          console.log(
            `${c.name}: API p50 ${fmt(row.apiP50)} ms, p95 ${fmt(row.apiP95)} ms; PMS subgraph alone p50 ${fmt(row.subgraphP50)} ms; SQL p50 ${fmt(row.sqlP50)} ms, p95 ${fmt(row.sqlP95)} ms; ratio ${row.ratio.toFixed(2)} (95% interval ${ratioLow.toFixed(2)} to ${ratioHigh.toFixed(2)})`,
          );
      }
      // The design's floor on the fastest report, in rounds of its own after the table's (whose rows keep
      // their three sides). A failure here is printed and leaves the floor out; the table stands.
      const floorCase = selected.find(({ c }) => c.name === FLOOR_REPORT);
      if (floorCase) {
        // The bare path runs the SQL on the SQL side's own connection (the sides never overlap), so both
        // time the statement on one backend. A backend's history changes it: one that has only ever run
        // this statement gives its heap back after each run and page-faults it in again next time
        // (glibc's malloc trim), about 1.2 ms more here than on one that has run the other reports too.
        const bare = await startBarePath({
          audit: platform.gatewayAudit.db,
          runReport: async () => {
            const rows: unknown[] = [];
            for (const q of floorCase.c.sql) rows.push(...(await q.execute(direct.db)).rows);
            return rows;
          },
        });
        try {
          // The same body as the API's request (the bare path forwards it and does not read it).
          const runBare = () => post(bare.url, null, floorCase.c.query, floorCase.c.variables);
          const [sqlRuns = [], apiRuns = [], bareRuns = []] = await timeInRounds(
            options.iterations,
            [floorCase.runSql, floorCase.runApi, runBare],
            options.seed,
          );
          floor = { sqlP50: percentile(sqlRuns, 50), bareP50: percentile(bareRuns, 50), apiP50: percentile(apiRuns, 50) };
          console.log(
            `the design's floor on ${FLOOR_REPORT}: SQL p50 ${fmt(floor.sqlP50)} ms; bare path p50 ${fmt(floor.bareP50)} ms (${(floor.bareP50 / floor.sqlP50).toFixed(2)} x SQL); API p50 ${fmt(floor.apiP50)} ms (${(floor.apiP50 / floor.sqlP50).toFixed(2)} x SQL)`,
          );
        } catch (e) {
          console.log(`the design's floor was not measured: ${e instanceof Error ? e.message : 'failed'}`);
        } finally {
          await bare.close();
        }
      }
      // The platform's own cost: a request with no report SQL (the PMS answers `revenueCycle` without a
      // statement), back to back and after an 8 ms pause, about a trend's SQL time, which is how the
      // report rows' API side meets it (each follows its SQL side's run).
      const empty = () => postApi('{ revenueCycle { __typename } }', {});
      const pause = () => new Promise((resolve) => setTimeout(resolve, 8));
      const emptyRuns: Record<'backToBack' | 'afterPause', number[]> = { backToBack: [], afterPause: [] };
      await warmUp([empty], new SeededRandom(options.seed, ORDER_STREAM));
      for (let i = 0; i < options.iterations; i++) {
        let started = performance.now();
        await empty();
        emptyRuns.backToBack.push(performance.now() - started);
        await pause();
        started = performance.now();
        await empty();
        emptyRuns.afterPause.push(performance.now() - started);
      }
      fixedCost = { backToBack: percentile(emptyRuns.backToBack, 50), afterPause: percentile(emptyRuns.afterPause, 50) };
      console.log(
        `a request with no report SQL: p50 ${fmt(fixedCost.backToBack)} ms back to back, ${fmt(fixedCost.afterPause)} ms after an 8 ms pause`,
      );
    } finally {
      await client.close();
      await direct.close();
      await platform.stop();
    }

    const table = [
      '| report | API p50 ms | API p95 ms | PMS alone p50 ms | SQL p50 ms | SQL p95 ms | API − SQL (p50) ms | of which the gateway (API − PMS alone) ms | API/SQL (p50) | API/SQL 95% interval | target |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      ...rows.map((r) =>
        r.error
          ? `| ${r.name} | failed: ${r.error} | | | ${fmt(r.sqlP50)} | ${fmt(r.sqlP95)} | | | | | MISSED |`
          : `| ${r.name} | ${fmt(r.apiP50)} | ${fmt(r.apiP95)} | ${fmt(r.subgraphP50)} | ${fmt(r.sqlP50)} | ${fmt(r.sqlP95)} | ${fmt(r.apiP50 - r.sqlP50)} | ${fmt(r.apiP50 - r.subgraphP50)} | ${r.ratio.toFixed(2)} | ${r.ratioLow.toFixed(2)} to ${r.ratioHigh.toFixed(2)} | ${r.ok ? 'met' : 'MISSED'} |`,
      ),
    ].join('\n');
    console.log(`\n${table}\n`);
    if (options.write) {
      const cpus = os.cpus();
      const doc = [
        '# Benchmarks',
        '',
        'Written by `pnpm bench:reports` (test/src/bench/reports-bench.ts); rerun it to refresh this file.',
        '',
        '## Revenue-cycle reports',
        '',
        `Each report through the gateway over HTTP (undici's \`request\` on a keep-alive connection) as an analyst (JWT, policy, request audit, the PMS subgraph, its reports connection as \`chartbridge_reports\`) beside the same SQL aggregate run directly on a connection of its own; at least ${options.iterations} timed runs each, and as many more as ${TIMED_MIN_MS / 1000} s of them take (up to ${TIMED_MAX_ROUNDS.toLocaleString('en-US')}), after untimed ones (first ${PLATFORM_WARM_UP_MS / 1000} s of rounds of every report's sides, then for each report at least ${WARM_UP_MIN_ROUNDS} rounds and ${WARM_UP_MIN_MS / 1000} s, then up to ${WARM_UP_ROUNDS.toLocaleString('en-US')} rounds or ${WARM_UP_MAX_MS / 1000} s) for a running service's steady state: its code compiled, its pools' connections open and in use with their caches loaded; one at a time, in rounds of one run of each side in a random order (what ran just before a run changes its time by up to 20% here, so no side always follows the same one). Period ${PERIOD.from} to ${PERIOD.to}; aging and drill-down as of ${TODAY}. Targets: API p95 within ${TARGET_P95_MS} ms and API/SQL under ${TARGET_RATIO} (medians); the 95% interval of API/SQL is a bootstrap over the timed rounds (${BOOTSTRAP_RESAMPLES.toLocaleString('en-US')} resamples, a round's runs kept together): how precisely this run measured its ratio, not how much runs differ (more than that here: the machine's speed drifts between runs). API − SQL is what the platform adds to a request: two HTTP hops, two GraphQL servers, the gateway's plan and result shaping, and the gateway's audit record of the request, written and committed before the answer leaves. \`PMS alone\` is the same query sent straight to the PMS subgraph with a token signed as the gateway signs it (one HTTP hop, the subgraph's GraphQL server and resolvers, no gateway and no request record), so API − PMS alone is the gateway's share.`,
        '',
        table,
        '',
        ...(fixedCost
          ? [
              `A request with no report SQL (\`{ revenueCycle { __typename } }\`: the same HTTP hops, GraphQL servers, plan and audit append), ${options.iterations} runs: p50 ${fmt(fixedCost.backToBack)} ms back to back, ${fmt(fixedCost.afterPause)} ms after an 8 ms pause. A report row's API run follows another side's run, a wait of about the report's SQL time, so its API − SQL is nearer the second.`,
              '',
            ]
          : []),
        ...(floor
          ? [
              `The design's floor, on ${FLOOR_REPORT} in rounds of its own (its SQL, the API, and the bare path of test/src/bench/bare-path.ts, warmed up and timed as above): SQL p50 ${fmt(floor.sqlP50)} ms; bare path p50 ${fmt(floor.bareP50)} ms, ${(floor.bareP50 / floor.sqlP50).toFixed(2)} times the SQL; API p50 ${fmt(floor.apiP50)} ms, ${(floor.apiP50 / floor.sqlP50).toFixed(2)} times. The bare path is the architecture with no GraphQL in it: the same two HTTP hops between bare Node servers, the request's audit record appended to the gateway's chain and committed before the answer leaves, and nothing else (no token, no GraphQL parsing or execution, no query plan, no result shaping); its back server runs the SQL on the SQL side's own connection, so both time the statement on one PostgreSQL backend. Bare path − SQL (${fmt(floor.bareP50 - floor.sqlP50)} ms) is what any implementation of the design pays here; API − bare path (${fmt(floor.apiP50 - floor.bareP50)} ms) is what the GraphQL stack adds to it.`,
              '',
            ]
          : []),
        '### Where',
        '',
        `- Machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
        `- Node ${process.versions.node}, PostgreSQL ${version[0]?.v ?? 'unknown'} (same machine, default settings)`,
        `- Data: ${seedMs === null ? `${options.patients.toLocaleString('en-US')} patients already in the database (\`pnpm seed\`)` : `\`pnpm seed -- --patients ${options.patients} --seed ${options.seed}\`, seeded in ${(seedMs / 1000).toFixed(0)} s, report tables included`}; order of runs from seed ${options.seed}${zoneMs === null ? '' : `; A/R rollups for ${TIME_ZONE} computed in ${(zoneMs / 1000).toFixed(1)} s`}`,
        '',
        '| table | rows |',
        '|---|---:|',
        ...Object.entries(counts).map(([t, n]) => `| ${t} | ${n.toLocaleString('en-US')} |`),
        '',
      ].join('\n');
      writeFileSync(path.resolve(import.meta.dirname, '../../../docs/BENCHMARKS.md'), doc);
      console.log('wrote docs/BENCHMARKS.md');
    }
    const missed = rows.filter((r) => !r.ok);
    if (missed.length > 0) {
      console.error(`targets missed: ${missed.map((r) => r.name).join(', ')}`);
      process.exitCode = 1;
    }
  } finally {
    await owner.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof RangeError ? error.message : `bench failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});

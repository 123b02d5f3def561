import { parseArgs } from 'node:util';
import { DATABASE_ROLES, EmbeddedDatabaseBusyError, createDatabase, openEmbeddedPostgres, type Database } from '@chartbridge/db';
import { loadReportCommandConfig } from '../config.js';
import { AGING_BUCKETS, arAgingReport, type AgingBucket, type AgingGroupBy } from './ar-aging.report.js';
import { claimDrill, type ClaimDrillFilter, type DrillClaim } from './claim-drill.report.js';
import {
  COMPLIANCE_RULES,
  complianceFindings,
  complianceSummary,
  type ComplianceFinding,
  type ComplianceRule,
} from './compliance.report.js';
import { denialsReport } from './denials.report.js';
import { KPI_NAMES, kpiReport, kpiTrend, type KpiName } from './kpi.report.js';
import { payerMixReport } from './payer-mix.report.js';
import { providerProductivityReport } from './provider-productivity.report.js';
import { openPatientPseudonyms } from './pseudonym.js';
import {
  arAgingCsv,
  claimsCsv,
  complianceFindingsCsv,
  complianceSummaryCsv,
  denialsCsv,
  kpiTrendCsv,
  kpisCsv,
  payerMixCsv,
  providerProductivityCsv,
} from './report-csv.js';
import { reportsSessionSettings, type ReportsDatabase } from './report-database.js';
import {
  ReportInputError,
  assertFiltersExist,
  parseDate,
  parseFilters,
  parsePeriod,
  type ReportFilters,
  type ReportPeriod,
} from './report-params.js';

// `pnpm report -- KIND --from YYYY-MM-DD --to YYYY-MM-DD [...] --format csv|json`: a revenue-cycle
// report printed to stdout, from the same functions the API runs, on REPORTS_DATABASE_URL (a read
// replica), else DATABASE_URL (as the read-only reports role on a server), else the embedded
// database `pnpm start` keeps. Usage errors and refused arguments exit 1 with a message on stderr.

const FILTERS = ['payer', 'provider', 'location'] as const;
const KINDS = {
  kpis: ['from', 'to', ...FILTERS],
  'ar-aging': ['as-of', 'group-by', ...FILTERS],
  denials: ['from', 'to', ...FILTERS],
  'payer-mix': ['from', 'to', 'provider', 'location'],
  'provider-productivity': ['from', 'to', 'provider', 'location'],
  trend: ['kpi', 'from', 'to', 'interval', ...FILTERS],
  compliance: ['from', 'to', 'rule', ...FILTERS],
  'compliance-summary': ['from', 'to', 'rule', ...FILTERS],
  claims: ['as-of', 'from', 'to', 'in-ar', 'aging-bucket', ...FILTERS],
} as const satisfies Record<string, readonly string[]>;
type Kind = keyof typeof KINDS;

const USAGE = `usage: pnpm report -- KIND [options] [--format csv|json]
  kpis                   --from D --to D [--payer ID] [--provider ID] [--location ID]
  ar-aging               --as-of D [--group-by payer|provider|location] [filters]
  denials                --from D --to D [filters]
  payer-mix              --from D --to D [--provider ID] [--location ID]
  provider-productivity  --from D --to D [--provider ID] [--location ID]
  trend                  --kpi ${KPI_NAMES.join('|')} --from D --to D [--interval month|week] [filters]
  compliance             --from D --to D [--rule ${COMPLIANCE_RULES.join('|')}] [filters]   (the findings)
  compliance-summary     the same options: counts by rule and by provider
  claims                 --as-of D [--from D --to D] [--in-ar] [--aging-bucket ${AGING_BUCKETS.map((b) => b.bucket).join('|')}] [filters]
Dates are YYYY-MM-DD, both ends inclusive; a period is at most 5 years.
Reads REPORTS_DATABASE_URL, else DATABASE_URL, else the embedded database of \`pnpm start\` (CHARTBRIDGE_DATA_DIR).`;

/** A usage problem: printed with the usage, exit 1. */
class UsageError extends Error {}

/** The command-line option of a report argument, for messages. */
const OPTION_OF: Readonly<Record<string, string>> = {
  from: '--from',
  to: '--to',
  asOf: '--as-of',
  payerId: '--payer',
  providerId: '--provider',
  locationId: '--location',
};

const MAX_ROWS = 100_000;

interface Parsed {
  readonly kind: Kind;
  readonly format: 'csv' | 'json';
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

function parse(argv: readonly string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : [...argv],
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'as-of': { type: 'string' },
      'group-by': { type: 'string' },
      payer: { type: 'string' },
      provider: { type: 'string' },
      location: { type: 'string' },
      kpi: { type: 'string' },
      interval: { type: 'string' },
      rule: { type: 'string' },
      'in-ar': { type: 'boolean' },
      'aging-bucket': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const [kind, ...extra] = positionals;
  if (!kind) throw new UsageError('KIND is required');
  if (!(kind in KINDS)) throw new UsageError(`Unknown report ${kind}: one of ${Object.keys(KINDS).join(', ')}`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${extra[0]}`);
  const allowed: readonly string[] = KINDS[kind as Kind];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !['format', 'help'].includes(name) && !allowed.includes(name))
      throw new UsageError(`${kind} does not take --${name}`);
  }
  if (values.format !== 'csv' && values.format !== 'json') throw new UsageError('--format must be csv or json');
  return { kind: kind as Kind, format: values.format, values };
}

function choice<T extends string>(value: string | boolean | undefined, option: string, choices: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  const found = choices.find((c) => c.toUpperCase() === upper);
  if (!found) throw new UsageError(`--${option} must be one of ${choices.join(', ')}`);
  return found;
}

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

async function checkedPeriod(
  db: Database<ReportsDatabase>,
  values: Parsed['values'],
): Promise<{ period: ReportPeriod; filters: ReportFilters }> {
  const period = parsePeriod({ from: text(values['from']), to: text(values['to']) });
  const filters = parseFilters({
    payerId: text(values['payer']),
    providerId: text(values['provider']),
    locationId: text(values['location']),
  });
  await assertFiltersExist(db.db, filters);
  return { period, filters };
}

async function allPages<T>(fetchPage: (first: number, after: T | undefined) => Promise<readonly T[]>): Promise<T[]> {
  const rows: T[] = [];
  const size = 1000;
  for (;;) {
    const page = await fetchPage(size, rows.at(-1));
    rows.push(...page.slice(0, size));
    if (page.length <= size) return rows;
    if (rows.length >= MAX_ROWS) throw new UsageError(`More than ${MAX_ROWS} rows: narrow the period or the filters`);
  }
}

/** Runs one report: its CSV and its JSON. */
async function run(
  db: Database<ReportsDatabase>,
  { kind, values }: Parsed,
  timeZone: string,
  pseudonymsOf: () => ReturnType<typeof openPatientPseudonyms>,
): Promise<{ csv: string; json: unknown }> {
  switch (kind) {
    case 'kpis': {
      const report = await kpiReport(db.db, { ...(await checkedPeriod(db, values)), timeZone });
      return { csv: kpisCsv(report), json: report };
    }
    case 'trend': {
      const kpi = choice<KpiName>(values['kpi'], 'kpi', KPI_NAMES);
      const interval = choice(values['interval'], 'interval', ['month', 'week'] as const, 'month');
      const trend = await kpiTrend(db.db, { ...(await checkedPeriod(db, values)), kpi, interval, timeZone });
      return { csv: kpiTrendCsv(trend), json: trend };
    }
    case 'ar-aging': {
      const asOf = parseDate(text(values['as-of']), 'asOf');
      const groupBy = choice<AgingGroupBy>(values['group-by'], 'group-by', ['payer', 'provider', 'location'], 'payer');
      const filters = parseFilters({
        payerId: text(values['payer']),
        providerId: text(values['provider']),
        locationId: text(values['location']),
      });
      await assertFiltersExist(db.db, filters);
      const report = await arAgingReport(db.db, { asOf, groupBy, filters, timeZone });
      return { csv: arAgingCsv(report), json: report };
    }
    case 'denials': {
      const report = await denialsReport(db.db, await checkedPeriod(db, values));
      return { csv: denialsCsv(report), json: report };
    }
    case 'payer-mix': {
      const report = await payerMixReport(db.db, await checkedPeriod(db, values));
      return { csv: payerMixCsv(report), json: report };
    }
    case 'provider-productivity': {
      const report = await providerProductivityReport(db.db, await checkedPeriod(db, values));
      return { csv: providerProductivityCsv(report), json: report };
    }
    case 'compliance':
    case 'compliance-summary': {
      const rule = values['rule'] === undefined ? undefined : choice<ComplianceRule>(values['rule'], 'rule', COMPLIANCE_RULES);
      const params = { ...(await checkedPeriod(db, values)), ...(rule ? { rule } : {}), timeZone };
      if (kind === 'compliance-summary') {
        const summary = await complianceSummary(db.db, params);
        return { csv: complianceSummaryCsv(summary), json: summary };
      }
      const findings = await allPages<ComplianceFinding>((first, last) =>
        complianceFindings(db.db, params, {
          first,
          ...(last ? { after: [last.serviceDate, last.claimId, last.rule, String(last.lineNumber ?? 0)] as const } : {}),
        }),
      );
      return {
        csv: complianceFindingsCsv(params.period, params.filters, findings),
        json: { period: params.period, filters: params.filters, rule: rule ?? null, findings },
      };
    }
    case 'claims': {
      const asOf = parseDate(text(values['as-of']), 'asOf');
      const servicePeriod =
        values['from'] !== undefined || values['to'] !== undefined
          ? parsePeriod({ from: text(values['from']), to: text(values['to']) })
          : undefined;
      const filters = parseFilters({
        payerId: text(values['payer']),
        providerId: text(values['provider']),
        locationId: text(values['location']),
      });
      await assertFiltersExist(db.db, filters);
      const bucket =
        values['aging-bucket'] === undefined
          ? undefined
          : choice<AgingBucket>(
              values['aging-bucket'],
              'aging-bucket',
              AGING_BUCKETS.map((b) => b.bucket),
            );
      const filter: ClaimDrillFilter = {
        asOf,
        ...filters,
        ...(servicePeriod ? { servicePeriod } : {}),
        ...(bucket ? { aging: { bucket } } : values['in-ar'] ? { aging: { bucket: null } } : {}),
      };
      const pseudonyms = await pseudonymsOf();
      const claims = await allPages<DrillClaim>((first, last) =>
        claimDrill(db.db, pseudonyms, filter, { first, ...(last ? { after: [last.serviceDate, last.claimId] as const } : {}) }, timeZone),
      );
      // The JSON, like the CSV, carries the pseudonymous key only.
      return { csv: claimsCsv(filter, claims), json: { asOf, filter, claims: claims.map(({ patientId: _patientId, ...rest }) => rest) } };
    }
  }
}

async function main(): Promise<void> {
  const parsed = parse(process.argv.slice(2));
  const config = loadReportCommandConfig();
  const url = config.databaseUrl ?? config.primaryDatabaseUrl;
  const pglite = url ? undefined : await openEmbeddedPostgres({ dataDir: config.dataDir });
  const db = createDatabase<ReportsDatabase>({
    target: pglite ? { kind: 'embedded', pglite } : { kind: 'server', url: url ?? '', poolSize: 2 },
    role: DATABASE_ROLES.reports,
    settings: reportsSessionSettings(config.statementTimeoutMs),
    applicationName: 'chartbridge-report',
  });
  try {
    const { csv, json } = await run(db, parsed, config.practiceTimeZone, () => openPatientPseudonyms(config.pseudonymKey));
    process.stdout.write(parsed.format === 'csv' ? csv : `${JSON.stringify(json, null, 2)}\n`);
  } finally {
    await db.close();
    await pglite?.close();
  }
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof UsageError) console.error(`report: ${error.message}\n${USAGE}`);
  else if (error instanceof ReportInputError) console.error(`report: ${OPTION_OF[error.field] ?? `--${error.field}`}: ${error.message}`);
  else if (error instanceof EmbeddedDatabaseBusyError)
    console.error('report: the embedded database is in use (pnpm start?): stop it, or set DATABASE_URL');
  else if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    console.error(`report: ${(error as Error).message}\n${USAGE}`);
  } else if (code === '57014') {
    console.error(
      'report: the report ran longer than REPORTS_STATEMENT_TIMEOUT_MS and was cancelled: narrow the period or the filters, or raise the limit',
    );
  } else if (code === '42P01' || code === '3F000') {
    console.error('report: the database has no revenue-cycle tables yet: run `pnpm start` (or the migrations) first');
  } else {
    // Database errors can quote values: only the kind of failure is printed.
    console.error(`report failed: ${error instanceof Error ? error.name : 'unknown error'}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  process.exit(1);
});

import { formatCents } from '@chartbridge/kit';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { exactRatio } from './exact-ratio.js';
import type { ReportsDatabase } from './report-database.js';
import { periodDays, splitPeriod, type ReportFilters, type ReportInterval, type ReportPeriod } from './report-params.js';
import { claimFilters, localDay, onPeriodDays, periodsRelation } from './report-sql.js';

// The revenue-cycle KPIs (docs/PRACTICE-DOMAIN.md, "Revenue-cycle KPIs"), each with the exact definition it was
// computed by. One SQL statement aggregates every component over one or more sub-periods; Node only
// divides (in integers, see exact-ratio.ts) and labels.

export const KPI_NAMES = [
  'DAYS_IN_AR',
  'AR_OVER_90',
  'NET_COLLECTION_RATE',
  'GROSS_COLLECTION_RATE',
  'CLEAN_CLAIM_RATE',
  'FIRST_PASS_RESOLUTION_RATE',
  'DENIAL_RATE',
  'LINE_DENIAL_RATE',
  'CHARGE_LAG',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export type KpiUnit = 'RATIO' | 'DAYS';
/** What a numerator or denominator counts: money is a decimal string, the rest whole numbers. */
export type KpiQuantity = 'MONEY' | 'CLAIMS' | 'LINES' | 'DAYS';

/** One KPI's value with what it was computed from: `value = numerator × multiplier ÷ denominator`. */
export interface KpiValue {
  readonly kpi: KpiName;
  /** Rounded to 4 places; null when the denominator is not positive (an empty period). */
  readonly value: string | null;
  readonly unit: KpiUnit;
  readonly numerator: string;
  readonly numeratorQuantity: KpiQuantity;
  readonly denominator: string;
  readonly denominatorQuantity: KpiQuantity;
  readonly multiplier: number;
  readonly definition: string;
}

const A_R =
  "A/R on a day = the balances on that day of claims not void first submitted by then (charge − payer paid − CO/OI/PI adjustments on lines not denied − patient payments on the claim, all dated by that day; a payer's reversal adds back what it takes back)";
const CHARGES = 'gross charges = line charges of claims not void whose line date of service is in the period';
const PAYMENTS =
  "payments = payer payments (remittance lines, by payment date; a payer's reversal counts negative on its own date) + patient payments applied to claims (by date received), in the period, on claims not void";

/** Each KPI's published definition, as reports state it. */
export const KPI_DEFINITIONS: Readonly<Record<KpiName, string>> = {
  DAYS_IN_AR: `A/R at the period's end ÷ (gross charges of the period ÷ days in the period): numerator A/R on \`to\`, denominator gross charges, multiplier the period's days; ${A_R}; ${CHARGES}; null without charges.`,
  AR_OVER_90: `A/R older than 90 days ÷ total A/R, on the period's end: numerator the A/R of claims whose date of service (the encounter's) is 91 or more days before \`to\`, denominator all A/R on \`to\`; ${A_R}; null when A/R is not positive.`,
  NET_COLLECTION_RATE: `Payments ÷ (gross charges − contractual adjustments), over the period; ${PAYMENTS}; ${CHARGES}; contractual adjustments = CO adjustments with CARC 45 or 253 on lines not denied, by payment date (a reversal's negative); null when the denominator is not positive.`,
  GROSS_COLLECTION_RATE: `Payments ÷ gross charges, over the period; ${PAYMENTS}; ${CHARGES}; null without charges.`,
  CLEAN_CLAIM_RATE:
    'Claims first submitted in the period (practice-local day) that had no scrubbing finding at that first submission and were never submitted again (a clearinghouse rejection corrected and resent is a manual touch) ÷ claims first submitted in the period, void ones included (they were submitted); null when none was.',
  FIRST_PASS_RESOLUTION_RATE:
    "Claims first adjudicated in the period whose first adjudication (every remittance line of the claim on its earliest payment date; a payer's reversal is no adjudication) denied no line ÷ claims first adjudicated in the period; a line is denied when the payer paid 0 and adjusted something other than PR; null when none was.",
  DENIAL_RATE:
    "Claims with at least one denied remittance line dated in the period ÷ claims with any remittance line dated in the period (an appeal paid later counts as adjudicated, not denied, in its own period; a payer's reversal lines are no adjudication); a line is denied when the payer paid 0 and adjusted something other than PR; null when none was adjudicated.",
  LINE_DENIAL_RATE:
    "Denied remittance lines ÷ all remittance lines, both by payment date in the period, a payer's reversal lines left out; a line is denied when the payer paid 0 and adjusted something other than PR; null when none.",
  CHARGE_LAG:
    "Average days from the date of service (the encounter's) to the claim's creation (practice-local day), over the claims created in the period, void ones included: numerator the sum of those days, denominator the claims; null when none was created.",
};

/** Which components each KPI needs, so a trend of one KPI aggregates only what it uses. */
type Component = 'charges' | 'payerPaid' | 'patientPaid' | 'contractual' | 'submitted' | 'adjudication' | 'firstPass' | 'chargeLag' | 'ar';

const KPI_COMPONENTS: Readonly<Record<KpiName, readonly Component[]>> = {
  DAYS_IN_AR: ['ar', 'charges'],
  AR_OVER_90: ['ar'],
  NET_COLLECTION_RATE: ['payerPaid', 'patientPaid', 'charges', 'contractual'],
  GROSS_COLLECTION_RATE: ['payerPaid', 'patientPaid', 'charges'],
  CLEAN_CLAIM_RATE: ['submitted'],
  FIRST_PASS_RESOLUTION_RATE: ['firstPass'],
  DENIAL_RATE: ['adjudication'],
  LINE_DENIAL_RATE: ['adjudication'],
  CHARGE_LAG: ['chargeLag'],
};

/** The aggregate row of one sub-period: every amount in cents, every count whole. Components not asked for are 0. */
export interface KpiAggregateRow {
  readonly period_start: string;
  readonly period_end: string;
  readonly gross_charges_cents: number;
  readonly payer_paid_cents: number;
  readonly patient_paid_cents: number;
  readonly contractual_cents: number;
  readonly ar_cents: number;
  readonly ar_over_90_cents: number;
  readonly submitted_claims: number;
  readonly clean_claims: number;
  readonly adjudicated_claims: number;
  readonly denied_claims: number;
  readonly adjudicated_lines: number;
  readonly denied_lines: number;
  /** Claims counted on more than one day of the sub-period: taken off the adjudicated and denied claims. */
  readonly adjudicated_claims_repeat: number;
  readonly denied_claims_repeat: number;
  readonly first_adjudicated_claims: number;
  readonly first_pass_claims: number;
  readonly created_claims: number;
  readonly charge_lag_days: number;
}

export interface KpiAggregateParams {
  /** The sub-periods, in order, contiguous or not; each is aggregated on its own. */
  readonly periods: readonly ReportPeriod[];
  readonly filters: ReportFilters;
  readonly timeZone: string;
  /** Components to compute; all when absent. */
  readonly kpis?: readonly KpiName[];
}

/**
 * A/R (and over 90 days) at each sub-period's end. When the practice time zone the reports
 * migration's A/R rollups are computed for (reports.practice) is this report's, the sum of the
 * day-by-day changes in reports.ar_day up to each end (reports.ar_day_total without a provider
 * filter): a few thousand rows for a year. Otherwise (the PMS that sets the zone not started yet, or
 * another zone asked for) the same day-by-day changes computed from reports.ar_span in one scan.
 * Both branches are in the statement; the zone check leaves one of them unread. Neither grows with
 * the number of sub-periods: a five-year weekly trend is the same statement as a one-month report,
 * with longer arrays.
 */
function arAtEnds(params: KpiAggregateParams, f: (alias: string) => RawBuilder<unknown>): RawBuilder<unknown> {
  const zoneMatches = sql`coalesce((select time_zone from reports.practice) = ${params.timeZone}, false)`;
  const lastEnd = params.periods.reduce((max, p) => (p.to > max ? p.to : max), '');
  const firstEnd = params.periods.reduce((min, p) => (p.to < min ? p.to : min), lastEnd);
  const rollup = sql.table(params.filters.providerId ? 'reports.ar_day' : 'reports.ar_day_total');
  const fromRollup = sql`
    select p.period_start, sum(a.total) as total, sum(a.over_90) as over_90
    from periods p
    join (
      select a.day, sum(a.total_cents) as total, sum(a.over_90_cents) as over_90
      from ${rollup} a
      where a.day <= ${lastEnd}::date and ${zoneMatches} ${f('a')}
      group by a.day
    ) a on a.day <= p.period_end
    group by p.period_start`;
  // The same day-by-day changes as the rollups', computed from the spans for this zone (the reports
  // migration's arRollupStatement): a span counts from its first day, or its claim's local submission
  // day if later, until it ends; over 90 days from the 91st day after the date of service if later still.
  const fromSpans = sql`
    select p.period_start, sum(a.total) as total, sum(a.over_90) as over_90
    from periods p
    join (
      select e.day, sum(e.total) as total, sum(e.over_90) as over_90
      from (
        -- Each span's four changes: it starts and ends counting, in total and over 90 days.
        select unnest(array[s.counts_from, s.to_day, case when s.to_day is null or s.to_day > s.over_90_from then s.over_90_from end, case when s.to_day > s.over_90_from then s.to_day end]) as day,
               unnest(array[s.balance_cents, -s.balance_cents, 0, 0]) as total,
               unnest(array[0, 0, s.balance_cents, -s.balance_cents]) as over_90
        from (
          select s.to_day, s.balance_cents, c.counts_from, greatest(c.counts_from, s.service_date + 91) as over_90_from
          from reports.ar_span s
          cross join lateral (select greatest(s.from_day, ${localDay(sql`s.first_submitted_at`, params.timeZone)}) as counts_from) c
          -- Spans ended by the first sub-period's end add and take off the same amount before it: left out.
          where (s.to_day is null or s.to_day > greatest(c.counts_from, ${firstEnd}::date)) and c.counts_from <= ${lastEnd}::date ${f('s')}
        ) s
      ) e
      where e.day <= ${lastEnd}::date
      group by e.day
    ) a on a.day <= p.period_end
    group by p.period_start`;
  // The zone check above the scan as a whole (`offset 0` keeps it from being pushed down), so when it
  // fails the scan does not start its parallel workers.
  return sql`${fromRollup} union all select * from (${fromSpans} offset 0) s where not ${zoneMatches}`;
}

/**
 * The KPIs' aggregate as one SQL statement: a row per sub-period with every component. This is the
 * whole database work of {@link kpiReport} and {@link kpiTrend}; exported so it can be timed or
 * explained on its own (`.compile(db)`, `.execute(db)`).
 */
export function kpiAggregateQuery(params: KpiAggregateParams): RawBuilder<KpiAggregateRow> {
  const wanted = new Set<Component>((params.kpis ?? KPI_NAMES).flatMap((k) => KPI_COMPONENTS[k]));
  const f = (alias: string) => claimFilters(alias, params.filters);
  const tz = params.timeZone;
  const ctes: Array<RawBuilder<unknown>> = [sql`periods as (${periodsRelation(params.periods)})`];
  const columns: Array<RawBuilder<unknown>> = [];
  const joins: Array<RawBuilder<unknown>> = [];
  const add = (name: string, cte: RawBuilder<unknown>, cols: Record<string, string>) => {
    ctes.push(sql`${sql.raw(name)} as (${cte})`);
    joins.push(sql`left join ${sql.raw(name)} using (period_start)`);
    for (const [column, source] of Object.entries(cols))
      columns.push(sql`coalesce(${sql.raw(`${name}.${source}`)}, 0)::bigint as ${sql.raw(column)}`);
  };
  const zero = (...names: string[]) => {
    for (const name of names) columns.push(sql`0::bigint as ${sql.raw(name)}`);
  };

  // Money and line counts per day come summed from reports.daily (reports.daily_total without a
  // provider filter); claims counted once per period from reports.claim_day's per-day flags less the
  // claim's repeat days in the period; claim-level dates from reports.claim_fact; A/R from
  // reports.ar_day (or reports.ar_span, see arAtEnds). The reports migrations derive them all.
  const rollup = sql.table(params.filters.providerId ? 'reports.daily' : 'reports.daily_total');
  const daily = (measures: string, voidClaims: 'without void' | 'with void') =>
    sql`select p.period_start, ${sql.raw(measures)}
        from periods p
        join ${rollup} d on d.day between p.period_start and p.period_end
        where ${voidClaims === 'without void' ? sql`not d.is_void` : sql`true`} ${f('d')}
        group by p.period_start`;
  const money: Array<[Component, string, string]> = [
    ['charges', 'charges_cents', 'gross_charges_cents'],
    ['payerPaid', 'payer_paid_cents', 'payer_paid_cents'],
    ['patientPaid', 'patient_paid_cents', 'patient_paid_cents'],
    // CONTRACTUAL_REASONS in rules/remittance.ts: CARC 45 and 253 on lines not denied.
    ['contractual', 'contractual_cents', 'contractual_cents'],
  ];
  const sums = money.filter(([c]) => wanted.has(c));
  if (sums.length > 0) {
    add(
      'money',
      daily(sums.map(([, source]) => `sum(d.${source}) as ${source}`).join(', '), 'without void'),
      Object.fromEntries(sums.map(([, source, column]) => [column, source])),
    );
  }
  for (const [component, , column] of money) if (!wanted.has(component)) zero(column);
  if (wanted.has('ar')) {
    add('ar', arAtEnds(params, f), { ar_cents: 'total', ar_over_90_cents: 'over_90' });
  } else zero('ar_cents', 'ar_over_90_cents');
  if (wanted.has('submitted')) {
    add(
      'submitted',
      sql`select p.period_start, count(*) as submitted, count(*) filter (where f.clean) as clean
          from periods p
          join reports.claim_fact f on ${onPeriodDays(sql`f.first_submitted_at`, tz)}
          where true ${f('f')}
          group by p.period_start`,
      { submitted_claims: 'submitted', clean_claims: 'clean' },
    );
  } else zero('submitted_claims', 'clean_claims');
  if (wanted.has('adjudication')) {
    // A payer's reversal lines are no adjudication (reports.daily counts them in neither).
    add(
      'adjudication',
      daily(
        'sum(d.adjudicated_claims) as claims, sum(d.denied_claims) as denied_claims, sum(d.adjudicated_lines) as lines, sum(d.denied_lines) as denied_lines',
        'with void',
      ),
      {
        adjudicated_claims: 'claims',
        denied_claims: 'denied_claims',
        adjudicated_lines: 'lines',
        denied_lines: 'denied_lines',
      },
    );
    add(
      'adjudication_repeat',
      sql`select p.period_start,
                 count(*) filter (where r.prev_adjudicated_day >= p.period_start) as claims,
                 count(*) filter (where r.prev_denied_day >= p.period_start) as denied_claims
          from periods p
          join reports.claim_day r on r.day between p.period_start and p.period_end and (r.prev_adjudicated_day is not null or r.prev_denied_day is not null)
          where true ${f('r')}
          group by p.period_start`,
      { adjudicated_claims_repeat: 'claims', denied_claims_repeat: 'denied_claims' },
    );
  } else
    zero('adjudicated_claims', 'denied_claims', 'adjudicated_lines', 'denied_lines', 'adjudicated_claims_repeat', 'denied_claims_repeat');
  if (wanted.has('firstPass')) {
    // A claim's first adjudication: every remittance line of its earliest payment date (reversals left out).
    add(
      'first_pass',
      sql`select p.period_start, count(*) as claims, count(*) filter (where f.first_pass) as resolved
          from periods p
          join reports.claim_fact f on f.first_adjudicated_on between p.period_start and p.period_end
          where true ${f('f')}
          group by p.period_start`,
      { first_adjudicated_claims: 'claims', first_pass_claims: 'resolved' },
    );
  } else zero('first_adjudicated_claims', 'first_pass_claims');
  if (wanted.has('chargeLag')) {
    add(
      'charge_lag',
      sql`select p.period_start, count(*) as claims, sum(${localDay(sql`f.created_at`, tz)} - f.service_date) as lag_days
          from periods p
          join reports.claim_fact f on ${onPeriodDays(sql`f.created_at`, tz)}
          where true ${f('f')}
          group by p.period_start`,
      { created_claims: 'claims', charge_lag_days: 'lag_days' },
    );
  } else zero('created_claims', 'charge_lag_days');

  return sql<KpiAggregateRow>`
    with ${sql.join(ctes, sql`, `)}
    select periods.period_start, periods.period_end, ${sql.join(columns, sql`, `)}
    from periods
    ${sql.join(joins, sql` `)}
    order by periods.period_start`;
}

function shown(amount: number, quantity: KpiQuantity): string {
  return quantity === 'MONEY' ? formatCents(amount) : String(amount);
}

function kpiValue(kpi: KpiName, unit: KpiUnit, n: number, nq: KpiQuantity, d: number, dq: KpiQuantity, multiplier = 1): KpiValue {
  return {
    kpi,
    value: exactRatio(n, d, multiplier),
    unit,
    numerator: shown(n, nq),
    numeratorQuantity: nq,
    denominator: shown(d, dq),
    denominatorQuantity: dq,
    multiplier,
    definition: KPI_DEFINITIONS[kpi],
  };
}

/** One KPI of one sub-period's aggregate row (a trend asks for one, so only it is computed). */
export function kpiValueOf(row: KpiAggregateRow, kpi: KpiName): KpiValue {
  switch (kpi) {
    case 'DAYS_IN_AR':
      return kpiValue(
        kpi,
        'DAYS',
        row.ar_cents,
        'MONEY',
        row.gross_charges_cents,
        'MONEY',
        periodDays({ from: row.period_start, to: row.period_end }),
      );
    case 'AR_OVER_90':
      return kpiValue(kpi, 'RATIO', row.ar_over_90_cents, 'MONEY', row.ar_cents, 'MONEY');
    case 'NET_COLLECTION_RATE':
      return kpiValue(
        kpi,
        'RATIO',
        row.payer_paid_cents + row.patient_paid_cents,
        'MONEY',
        row.gross_charges_cents - row.contractual_cents,
        'MONEY',
      );
    case 'GROSS_COLLECTION_RATE':
      return kpiValue(kpi, 'RATIO', row.payer_paid_cents + row.patient_paid_cents, 'MONEY', row.gross_charges_cents, 'MONEY');
    case 'CLEAN_CLAIM_RATE':
      return kpiValue(kpi, 'RATIO', row.clean_claims, 'CLAIMS', row.submitted_claims, 'CLAIMS');
    case 'FIRST_PASS_RESOLUTION_RATE':
      return kpiValue(kpi, 'RATIO', row.first_pass_claims, 'CLAIMS', row.first_adjudicated_claims, 'CLAIMS');
    case 'DENIAL_RATE':
      return kpiValue(
        kpi,
        'RATIO',
        row.denied_claims - row.denied_claims_repeat,
        'CLAIMS',
        row.adjudicated_claims - row.adjudicated_claims_repeat,
        'CLAIMS',
      );
    case 'LINE_DENIAL_RATE':
      return kpiValue(kpi, 'RATIO', row.denied_lines, 'LINES', row.adjudicated_lines, 'LINES');
    case 'CHARGE_LAG':
      return kpiValue(kpi, 'DAYS', row.charge_lag_days, 'DAYS', row.created_claims, 'CLAIMS');
  }
}

/** Every KPI of one sub-period's aggregate row. */
export function kpiValues(row: KpiAggregateRow): Record<KpiName, KpiValue> {
  return Object.fromEntries(KPI_NAMES.map((kpi) => [kpi, kpiValueOf(row, kpi)])) as Record<KpiName, KpiValue>;
}

export interface KpiParams {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  readonly timeZone: string;
}

export interface KpiReport {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  /** Days in the period, `to` included: the multiplier of days in A/R. */
  readonly days: number;
  readonly kpis: Readonly<Record<KpiName, KpiValue>>;
}

/** The KPIs of a period; parameters as {@link parsePeriod} and {@link parseFilters} return them. */
export async function kpiReport(db: Kysely<ReportsDatabase>, params: KpiParams): Promise<KpiReport> {
  const { rows } = await kpiAggregateQuery({ periods: [params.period], filters: params.filters, timeZone: params.timeZone }).execute(db);
  const [row] = rows;
  if (!row) throw new Error('The KPI aggregate returned no row');
  return { period: params.period, filters: params.filters, days: periodDays(params.period), kpis: kpiValues(row) };
}

export interface KpiTrendParams extends KpiParams {
  readonly kpi: KpiName;
  readonly interval: ReportInterval;
}

export interface KpiTrendPoint {
  readonly period: ReportPeriod;
  readonly value: KpiValue;
}

export interface KpiTrend {
  readonly kpi: KpiName;
  readonly interval: ReportInterval;
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  readonly points: readonly KpiTrendPoint[];
}

/**
 * One KPI per calendar month or ISO week of the period (the first and last cut to it), each
 * computed exactly as {@link kpiReport} would for that sub-period. One statement.
 */
export async function kpiTrend(db: Kysely<ReportsDatabase>, params: KpiTrendParams): Promise<KpiTrend> {
  const periods = splitPeriod(params.period, params.interval);
  const { rows } = await kpiAggregateQuery({ periods, filters: params.filters, timeZone: params.timeZone, kpis: [params.kpi] }).execute(db);
  return {
    kpi: params.kpi,
    interval: params.interval,
    period: params.period,
    filters: params.filters,
    points: rows.map((row) => ({ period: { from: row.period_start, to: row.period_end }, value: kpiValueOf(row, params.kpi) })),
  };
}

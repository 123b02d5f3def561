import { formatCents } from '@chartbridge/kit';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { exactRatio } from './exact-ratio.js';
import type { ReportsDatabase } from './report-database.js';
import { periodDays, splitPeriod, type ReportFilters, type ReportInterval, type ReportPeriod } from './report-params.js';
import { arEventsCtes, claimFilters, dayStart, localDay, periodsRelation } from './report-sql.js';

// The revenue-cycle KPIs (DOMAIN.md, "Revenue-cycle KPIs"), each with the exact definition it was
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
    for (const [column, source] of Object.entries(cols)) columns.push(sql`coalesce(${sql.raw(`${name}.${source}`)}, 0)::bigint as ${sql.raw(column)}`);
  };
  const zero = (...names: string[]) => {
    for (const name of names) columns.push(sql`0::bigint as ${sql.raw(name)}`);
  };

  if (wanted.has('charges')) {
    add(
      'charges',
      sql`select p.period_start, sum(cl.charge_cents) as v
          from periods p
          join pms.claim_line cl on cl.service_date between p.period_start and p.period_end
          join pms.claim c on c.id = cl.claim_id
          where c.status <> 'void' ${f('c')}
          group by p.period_start`,
      { gross_charges_cents: 'v' },
    );
  } else zero('gross_charges_cents');
  if (wanted.has('payerPaid')) {
    add(
      'payer_paid',
      sql`select p.period_start, sum(rl.paid_cents) as v
          from periods p
          join pms.remittance_line rl on rl.payment_date between p.period_start and p.period_end
          join pms.claim c on c.id = rl.claim_id
          where c.status <> 'void' ${f('c')}
          group by p.period_start`,
      { payer_paid_cents: 'v' },
    );
  } else zero('payer_paid_cents');
  if (wanted.has('patientPaid')) {
    add(
      'patient_paid',
      sql`select p.period_start, sum(pp.amount_cents) as v
          from periods p
          join pms.patient_payment pp on pp.received_on between p.period_start and p.period_end
          join pms.claim c on c.id = pp.claim_id
          where c.status <> 'void' ${f('c')}
          group by p.period_start`,
      { patient_paid_cents: 'v' },
    );
  } else zero('patient_paid_cents');
  if (wanted.has('contractual')) {
    // CONTRACTUAL_REASONS in rules/remittance.ts: CARC 45 (charge over the fee schedule) and 253 (sequestration).
    add(
      'contractual',
      sql`select p.period_start, sum(ra.amount_cents) as v
          from periods p
          join pms.remittance_adjustment ra on ra.payment_date between p.period_start and p.period_end
          join pms.remittance_line rl on rl.id = ra.remittance_line_id
          join pms.claim c on c.id = ra.claim_id
          where ra.group_code = 'CO' and ra.reason_code in ('45', '253') and not rl.denied and c.status <> 'void' ${f('c')}
          group by p.period_start`,
      { contractual_cents: 'v' },
    );
  } else zero('contractual_cents');
  if (wanted.has('ar')) {
    ctes.push(arEventsCtes(params.filters, tz, sql`(select max(period_end) from periods)`));
    // Per day and date of service first: the join to the periods then reads far fewer rows than events.
    ctes.push(sql`ar_daily as (select on_day, service_date, sum(amount) as amount from ar_event group by on_day, service_date)`);
    add(
      'ar',
      sql`select p.period_start, sum(d.amount) as total, sum(d.amount) filter (where d.service_date <= p.period_end - 91) as over_90
          from periods p
          join ar_daily d on d.on_day <= p.period_end
          group by p.period_start`,
      { ar_cents: 'total', ar_over_90_cents: 'over_90' },
    );
  } else zero('ar_cents', 'ar_over_90_cents');
  if (wanted.has('submitted')) {
    add(
      'submitted',
      sql`select p.period_start, count(*) as submitted, count(*) filter (where c.first_submission_clean and coalesce(c.submitted_at, c.first_submitted_at) = c.first_submitted_at) as clean
          from periods p
          join pms.claim c on c.first_submitted_at >= ${dayStart(sql`p.period_start`, tz)} and c.first_submitted_at < ${dayStart(sql`p.period_end + 1`, tz)}
          where true ${f('c')}
          group by p.period_start`,
      { submitted_claims: 'submitted', clean_claims: 'clean' },
    );
  } else zero('submitted_claims', 'clean_claims');
  if (wanted.has('adjudication')) {
    add(
      'adjudication',
      sql`select period_start, count(*) as claims, count(*) filter (where any_denied) as denied_claims, sum(lines) as lines, sum(denied_lines) as denied_lines
          from (
            select p.period_start, rl.claim_id, bool_or(rl.denied) as any_denied, count(*) as lines, count(*) filter (where rl.denied) as denied_lines
            from periods p
            join pms.remittance_line rl on rl.payment_date between p.period_start and p.period_end
            join pms.claim c on c.id = rl.claim_id
            where rl.reverses_line_id is null ${f('c')}
            group by p.period_start, rl.claim_id
          ) per_claim
          group by period_start`,
      { adjudicated_claims: 'claims', denied_claims: 'denied_claims', adjudicated_lines: 'lines', denied_lines: 'denied_lines' },
    );
  } else zero('adjudicated_claims', 'denied_claims', 'adjudicated_lines', 'denied_lines');
  if (wanted.has('firstPass')) {
    // The lines of a claim's earliest payment date: none of the claim's lines is dated before it.
    // A payer's reversal (a line negating an earlier one) is no adjudication: it counts in no rate.
    add(
      'first_pass',
      sql`select period_start, count(*) as claims, count(*) filter (where not any_denied) as resolved
          from (
            select p.period_start, rl.claim_id, bool_or(rl.denied) as any_denied
            from periods p
            join pms.remittance_line rl on rl.payment_date between p.period_start and p.period_end
            join pms.claim c on c.id = rl.claim_id
            where rl.reverses_line_id is null
              and not exists (select 1 from pms.remittance_line earlier where earlier.claim_id = rl.claim_id and earlier.payment_date < rl.payment_date and earlier.reverses_line_id is null)
              ${f('c')}
            group by p.period_start, rl.claim_id
          ) per_claim
          group by period_start`,
      { first_adjudicated_claims: 'claims', first_pass_claims: 'resolved' },
    );
  } else zero('first_adjudicated_claims', 'first_pass_claims');
  if (wanted.has('chargeLag')) {
    add(
      'charge_lag',
      sql`select p.period_start, count(*) as claims, sum(${localDay(sql`c.created_at`, tz)} - e.service_date) as lag_days
          from periods p
          join pms.claim c on c.created_at >= ${dayStart(sql`p.period_start`, tz)} and c.created_at < ${dayStart(sql`p.period_end + 1`, tz)}
          join pms.encounter e on e.id = c.encounter_id
          where true ${f('c')}
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

function kpiValue(kpi: KpiName, unit: KpiUnit, n: [number, KpiQuantity], d: [number, KpiQuantity], multiplier = 1): KpiValue {
  const show = ([amount, quantity]: [number, KpiQuantity]) => (quantity === 'MONEY' ? formatCents(amount) : String(amount));
  return {
    kpi,
    value: exactRatio(n[0], d[0], multiplier),
    unit,
    numerator: show(n),
    numeratorQuantity: n[1],
    denominator: show(d),
    denominatorQuantity: d[1],
    multiplier,
    definition: KPI_DEFINITIONS[kpi],
  };
}

/** Every KPI of one sub-period's aggregate row. */
export function kpiValues(row: KpiAggregateRow): Record<KpiName, KpiValue> {
  const days = periodDays({ from: row.period_start, to: row.period_end });
  const payments = row.payer_paid_cents + row.patient_paid_cents;
  return {
    DAYS_IN_AR: kpiValue('DAYS_IN_AR', 'DAYS', [row.ar_cents, 'MONEY'], [row.gross_charges_cents, 'MONEY'], days),
    AR_OVER_90: kpiValue('AR_OVER_90', 'RATIO', [row.ar_over_90_cents, 'MONEY'], [row.ar_cents, 'MONEY']),
    NET_COLLECTION_RATE: kpiValue('NET_COLLECTION_RATE', 'RATIO', [payments, 'MONEY'], [row.gross_charges_cents - row.contractual_cents, 'MONEY']),
    GROSS_COLLECTION_RATE: kpiValue('GROSS_COLLECTION_RATE', 'RATIO', [payments, 'MONEY'], [row.gross_charges_cents, 'MONEY']),
    CLEAN_CLAIM_RATE: kpiValue('CLEAN_CLAIM_RATE', 'RATIO', [row.clean_claims, 'CLAIMS'], [row.submitted_claims, 'CLAIMS']),
    FIRST_PASS_RESOLUTION_RATE: kpiValue('FIRST_PASS_RESOLUTION_RATE', 'RATIO', [row.first_pass_claims, 'CLAIMS'], [row.first_adjudicated_claims, 'CLAIMS']),
    DENIAL_RATE: kpiValue('DENIAL_RATE', 'RATIO', [row.denied_claims, 'CLAIMS'], [row.adjudicated_claims, 'CLAIMS']),
    LINE_DENIAL_RATE: kpiValue('LINE_DENIAL_RATE', 'RATIO', [row.denied_lines, 'LINES'], [row.adjudicated_lines, 'LINES']),
    CHARGE_LAG: kpiValue('CHARGE_LAG', 'DAYS', [row.charge_lag_days, 'DAYS'], [row.created_claims, 'CLAIMS']),
  };
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
    points: rows.map((row) => ({ period: { from: row.period_start, to: row.period_end }, value: kpiValues(row)[params.kpi] })),
  };
}

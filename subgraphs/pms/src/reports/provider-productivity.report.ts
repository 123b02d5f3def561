import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReportsDatabase } from './report-database.js';
import { splitPeriod, type ReportFilters, type ReportPeriod } from './report-params.js';
import { claimFilters, periodsRelation, providerName } from './report-sql.js';

// Provider productivity (docs/PRACTICE-DOMAIN.md, "Revenue-cycle KPIs"): encounters, procedures, charges and
// payments per provider per month.

export const PROVIDER_PRODUCTIVITY_DEFINITION =
  "Per billing provider (the encounter's provider) and calendar month of the period (the first and last month cut to it): encounters = the provider's encounters not cancelled with their date of service in the month (at the location, when filtered: the checked-in appointment's); procedures and units = lines of the provider's claims not void with their line date of service in the month; charges = those lines' charges; payments = payer payments (by payment date) and patient payments (by date received) in the month on the provider's claims not void.";

export interface ProviderProductivityParams {
  readonly period: ReportPeriod;
  /** Provider and location only. */
  readonly filters: Omit<ReportFilters, 'payerId'>;
}

export interface ProviderProductivityAggregateRow {
  readonly provider_id: string;
  readonly provider_name: string | null;
  readonly period_start: string;
  readonly period_end: string;
  readonly encounters: number;
  readonly procedures: number;
  readonly units: number;
  readonly charges_cents: number;
  readonly payments_cents: number;
}

/** The period covers its calendar month from the first day to the last. */
function isWholeMonth(period: ReportPeriod): boolean {
  const from = new Date(`${period.from}T00:00:00Z`);
  const nextDay = new Date(`${period.to}T00:00:00Z`);
  nextDay.setUTCDate(nextDay.getUTCDate() + 1);
  return from.getUTCDate() === 1 && nextDay.getUTCDate() === 1 && nextDay.getUTCMonth() === (from.getUTCMonth() + 1) % 12;
}

/** The productivity aggregate: a row per provider and month with any activity. Exported to be timed or explained on its own. */
export function providerProductivityAggregateQuery(params: ProviderProductivityParams): RawBuilder<ProviderProductivityAggregateRow> {
  const months = splitPeriod(params.period, 'month');
  // Encounters, lines, charges and payments come summed per calendar month (reports.encounter_monthly,
  // reports.monthly) and per day (reports.encounter_daily, reports.daily) for a month the period cuts.
  // A cut month is a statement part of its own, its dates parameters the planner sees (a range scan
  // of the rollup's key rather than a pass over every day).
  const whole = months.filter(isWholeMonth);
  const part = months.filter((m) => !isWholeMonth(m));
  const f = claimFilters('d', params.filters);
  const claimActivity = sql`0 as encounters, sum(d.lines) as procedures, sum(d.units) as units, sum(d.charges_cents) as charges_cents,
    sum(d.payer_paid_cents + d.patient_paid_cents) as payments_cents`;
  const claimRows = sql`not d.is_void ${f}`;
  const claimHaving = sql`having sum(d.lines) > 0 or sum(d.postings) > 0`;
  const encounterActivity = sql`sum(n.encounters) as encounters, 0 as procedures, 0 as units, 0 as charges_cents, 0 as payments_cents`;
  const encounterRows = sql`true ${claimFilters('n', params.filters)}`;
  const encounterHaving = sql`having sum(n.encounters) > 0`;
  const parts: Array<RawBuilder<unknown>> = [];
  if (whole.length > 0) {
    const firsts = whole.map((m) => m.from);
    parts.push(
      sql`select n.provider_id, n.month as period_start, ${encounterActivity}
          from reports.encounter_monthly n where n.month = any(${firsts}::date[]) and ${encounterRows} group by n.provider_id, n.month ${encounterHaving}`,
      sql`select d.provider_id, d.month as period_start, ${claimActivity}
          from reports.monthly d where d.month = any(${firsts}::date[]) and ${claimRows} group by d.provider_id, d.month ${claimHaving}`,
    );
  }
  for (const m of part) {
    parts.push(
      sql`select n.provider_id, ${m.from}::date as period_start, ${encounterActivity}
          from reports.encounter_daily n where n.day between ${m.from}::date and ${m.to}::date and ${encounterRows} group by n.provider_id ${encounterHaving}`,
      sql`select d.provider_id, ${m.from}::date as period_start, ${claimActivity}
          from reports.daily d where d.day between ${m.from}::date and ${m.to}::date and ${claimRows} group by d.provider_id ${claimHaving}`,
    );
  }
  return sql<ProviderProductivityAggregateRow>`
    with periods as (${periodsRelation(months)}),
    activity as (${sql.join(parts, sql` union all `)}),
    totals as (
      select provider_id, period_start, sum(encounters)::int as encounters, sum(procedures)::int as procedures, sum(units)::int as units,
             sum(charges_cents)::bigint as charges_cents, sum(payments_cents)::bigint as payments_cents
      from activity group by provider_id, period_start
    )
    select t.provider_id, ${providerName('pr')} as provider_name, t.period_start, p.period_end,
           t.encounters, t.procedures, t.units, t.charges_cents, t.payments_cents
    from totals t
    join periods p on p.period_start = t.period_start
    left join pms.provider pr on pr.id = t.provider_id
    order by provider_name, t.provider_id, t.period_start`;
}

export interface ProviderMonth {
  readonly providerId: string;
  readonly providerName: string | null;
  /** `YYYY-MM` */
  readonly month: string;
  /** The part of the month inside the report's period. */
  readonly period: ReportPeriod;
  readonly encounters: number;
  readonly procedures: number;
  readonly units: number;
  readonly chargesCents: number;
  readonly paymentsCents: number;
}

export interface ProviderProductivityReport {
  readonly period: ReportPeriod;
  readonly filters: Omit<ReportFilters, 'payerId'>;
  readonly rows: readonly ProviderMonth[];
  readonly definition: string;
}

/** Per provider and month: encounters, procedures (lines and units), charges and payments. */
export async function providerProductivityReport(
  db: Kysely<ReportsDatabase>,
  params: ProviderProductivityParams,
): Promise<ProviderProductivityReport> {
  const { rows } = await providerProductivityAggregateQuery(params).execute(db);
  return {
    period: params.period,
    filters: params.filters,
    rows: rows.map((r) => ({
      providerId: r.provider_id,
      providerName: r.provider_name,
      month: r.period_start.slice(0, 7),
      period: { from: r.period_start, to: r.period_end },
      encounters: r.encounters,
      procedures: r.procedures,
      units: r.units,
      chargesCents: r.charges_cents,
      paymentsCents: r.payments_cents,
    })),
    definition: PROVIDER_PRODUCTIVITY_DEFINITION,
  };
}

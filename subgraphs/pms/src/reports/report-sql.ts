import { sql, type RawBuilder } from 'kysely';
import type { ReportFilters, ReportPeriod } from './report-params.js';

// SQL fragments the reports share. Every report is one statement built from these; the values are
// parameters, the column names fixed here.

/** Empty SQL, for an optional condition left out. */
export const nothing: RawBuilder<unknown> = sql``;

/** `and <alias>.payer_id = $n ...` for each filter given, on a `pms.claim` alias. */
export function claimFilters(alias: string, filters: ReportFilters): RawBuilder<unknown> {
  const parts: Array<RawBuilder<unknown>> = [];
  if (filters.payerId) parts.push(sql`and ${sql.ref(`${alias}.payer_id`)} = ${filters.payerId}::uuid`);
  if (filters.providerId) parts.push(sql`and ${sql.ref(`${alias}.provider_id`)} = ${filters.providerId}::uuid`);
  if (filters.locationId) parts.push(sql`and ${sql.ref(`${alias}.location_id`)} = ${filters.locationId}::uuid`);
  return parts.length === 0 ? nothing : sql.join(parts, sql` `);
}

/**
 * The sub-periods a statement aggregates over, as a relation `periods(period_start, period_end)`
 * (dates, both inclusive). One row for a plain report, one per month or week for a trend.
 */
export function periodsRelation(periods: readonly ReportPeriod[]): RawBuilder<unknown> {
  const starts = periods.map((p) => p.from);
  const ends = periods.map((p) => p.to);
  return sql`select * from unnest(${starts}::date[], ${ends}::date[]) as p(period_start, period_end)`;
}

/** The instant a practice-local calendar day begins, as a `timestamptz` expression (sargable against an index). */
function dayStart(date: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  return sql`((${date})::timestamp at time zone ${timeZone})`;
}

/** The practice-local calendar day of a `timestamptz` column. */
export function localDay(column: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  return sql`((${column}) at time zone ${timeZone})::date`;
}

/**
 * The `reports.ar_span` row (alias) of a claim in A/R on `day`: the span covering that day (a claim
 * has at most one) of a claim first submitted by then, on the practice's calendar.
 */
export function inArOn(alias: string, day: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  const from = sql.ref(`${alias}.from_day`);
  const to = sql.ref(`${alias}.to_day`);
  return sql`(${from} is null or ${from} <= ${day}) and (${to} is null or ${to} > ${day})
    and ${sql.ref(`${alias}.first_submitted_at`)} < ${dayStart(sql`${day} + 1`, timeZone)}`;
}

/** An instant `column` on one of the practice-local days of the sub-period `p` of a `periods` relation (a sargable range). */
export function onPeriodDays(column: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  return sql`${column} >= ${dayStart(sql`p.period_start`, timeZone)} and ${column} < ${dayStart(sql`p.period_end + 1`, timeZone)}`;
}

/** A provider's display name as reports show it: `Family, Given Names`. No patient name is ever read. */
export function providerName(alias: string): RawBuilder<string> {
  return sql<string>`(${sql.ref(`${alias}.family_name`)} || ', ' || array_to_string(${sql.ref(`${alias}.given_names`)}, ' '))`;
}

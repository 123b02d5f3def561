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
export function dayStart(date: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  return sql`((${date})::timestamp at time zone ${timeZone})`;
}

/** The practice-local calendar day of a `timestamptz` column. */
export function localDay(column: RawBuilder<unknown>, timeZone: string): RawBuilder<unknown> {
  return sql`((${column}) at time zone ${timeZone})::date`;
}

/**
 * A/R as events, the CTEs `ar_claim` and `ar_event`. The claims in A/R: not void and first
 * submitted (practice-local day `submitted_on`). Their events, each on the day it enters A/R: the
 * claim's total charge (+) on `submitted_on`; each payer payment, applied adjustment (CO, OI, PI on
 * lines that are not denied) and patient payment on the claim (-) on its own date, or on
 * `submitted_on` when it came earlier. A claim's balance on day D is then the sum of its events on
 * or before D, exactly `charge - payer paid - applied adjustments - patient payments` dated by D
 * (remittance.ts) for a claim submitted by D. Events after `maxDay` are left out.
 */
export function arEventsCtes(filters: ReportFilters, timeZone: string, maxDay: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    ar_claim as (
      select c.id as claim_id, c.payer_id, c.provider_id, c.location_id, e.service_date,
             ${localDay(sql`c.first_submitted_at`, timeZone)} as submitted_on, c.total_charge_cents
      from pms.claim c
      join pms.encounter e on e.id = c.encounter_id
      where c.status <> 'void' and c.first_submitted_at is not null
        and c.first_submitted_at < ${dayStart(sql`(${maxDay}) + 1`, timeZone)}
        ${claimFilters('c', filters)}
    ),
    ar_event as (
      select ac.claim_id, ac.service_date, ac.submitted_on as on_day, ac.total_charge_cents as amount
      from ar_claim ac
      union all
      select ac.claim_id, ac.service_date, greatest(rl.payment_date, ac.submitted_on), -rl.paid_cents
      from pms.remittance_line rl
      join ar_claim ac on ac.claim_id = rl.claim_id
      where rl.paid_cents <> 0 and rl.payment_date <= ${maxDay}
      union all
      select ac.claim_id, ac.service_date, greatest(ra.payment_date, ac.submitted_on), -ra.amount_cents
      from pms.remittance_adjustment ra
      join pms.remittance_line rl on rl.id = ra.remittance_line_id
      join ar_claim ac on ac.claim_id = ra.claim_id
      where ra.group_code <> 'PR' and not rl.denied and ra.payment_date <= ${maxDay}
      union all
      select ac.claim_id, ac.service_date, greatest(pp.received_on, ac.submitted_on), -pp.amount_cents
      from pms.patient_payment pp
      join ar_claim ac on ac.claim_id = pp.claim_id
      where pp.received_on <= ${maxDay}
    )`;
}

/** A provider's display name as reports show it: `Family, Given Names`. No patient name is ever read. */
export function providerName(alias: string): RawBuilder<string> {
  return sql<string>`(${sql.ref(`${alias}.family_name`)} || ', ' || array_to_string(${sql.ref(`${alias}.given_names`)}, ' '))`;
}

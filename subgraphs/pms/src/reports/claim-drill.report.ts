import type { ClaimStatus } from '@chartbridge/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { AGING_BUCKETS, type AgingBucket } from './ar-aging.report.js';
import type { PatientPseudonyms } from './pseudonym.js';
import type { ReportsDatabase } from './report-database.js';
import type { ReportPeriod } from './report-params.js';
import { inArOn, nothing, providerName } from './report-sql.js';

// Drill-down: the claims behind a bucket or a group of any report, a page at a time, with their
// amounts on a day. A patient appears only as a pseudonymous key, made in Node for the page's rows.

/** Which claims: every condition given must hold. */
export interface ClaimDrillFilter {
  /** Balances are shown as of this day (a period report's `to`, the aging's `asOf`). */
  readonly asOf: string;
  /** A payer id; null for claims billed to no payer. */
  readonly payerId?: string | null;
  readonly providerId?: string;
  /** A location id; null for claims without one. */
  readonly locationId?: string | null;
  /** Claims with a line whose date of service is in the period (charges, payer mix, productivity). */
  readonly servicePeriod?: ReportPeriod;
  /** Claims in A/R on `asOf` (not void, submitted by then, balance other than 0), in this age bucket when one is named. */
  readonly aging?: { readonly bucket: AgingBucket | null };
  /** Claims with a line denied in the period, with this adjustment group and reason or procedure code when named. */
  readonly denied?: {
    readonly period: ReportPeriod;
    readonly groupCode?: string;
    readonly reasonCode?: string;
    readonly procedureCode?: string;
  };
}

export interface ClaimDrillPage {
  readonly first: number;
  /** Keyset: the (date of service, claim id) of the previous page's last row. */
  readonly after?: readonly [serviceDate: string, claimId: string];
}

export interface ClaimDrillAggregateRow {
  readonly claim_id: string;
  readonly status: ClaimStatus;
  readonly patient_id: string;
  readonly service_date: string;
  readonly created_at: Date;
  readonly first_submitted_at: Date | null;
  readonly first_adjudicated_on: string | null;
  readonly payer_id: string | null;
  readonly payer_name: string | null;
  readonly provider_id: string;
  readonly provider_name: string | null;
  readonly location_id: string | null;
  readonly location_name: string | null;
  readonly charge_cents: number;
  readonly payer_paid_cents: number;
  readonly adjusted_cents: number;
  readonly patient_paid_cents: number;
  readonly age_days: number;
}

/** The drill-down query for one page (`first + 1` rows, oldest date of service first). Exported to be timed or explained on its own. */
export function claimDrillQuery(filter: ClaimDrillFilter, page: ClaimDrillPage, timeZone: string): RawBuilder<ClaimDrillAggregateRow> {
  const asOf = sql`${filter.asOf}::date`;
  const conditions: Array<RawBuilder<unknown>> = [];
  if (filter.payerId !== undefined)
    conditions.push(filter.payerId === null ? sql`and c.payer_id is null` : sql`and c.payer_id = ${filter.payerId}::uuid`);
  if (filter.providerId !== undefined) conditions.push(sql`and c.provider_id = ${filter.providerId}::uuid`);
  if (filter.locationId !== undefined)
    conditions.push(filter.locationId === null ? sql`and c.location_id is null` : sql`and c.location_id = ${filter.locationId}::uuid`);
  if (filter.servicePeriod) {
    conditions.push(sql`and c.status <> 'void' and exists (
      select 1 from pms.claim_line cl where cl.claim_id = c.id and cl.service_date between ${filter.servicePeriod.from}::date and ${filter.servicePeriod.to}::date)`);
  }
  if (filter.aging) {
    // In A/R on the day: the claim's A/R span covers it (reports.ar_span holds only balances other than 0, of claims not void).
    conditions.push(sql`and exists (select 1 from reports.ar_span s where s.claim_id = c.id and ${inArOn('s', asOf, timeZone)})`);
    const bucket = AGING_BUCKETS.find((b) => b.bucket === filter.aging?.bucket);
    if (bucket) {
      conditions.push(
        bucket.maxDays === null
          ? sql`and ${asOf} - e.service_date >= ${bucket.minDays}`
          : bucket.minDays === 0
            ? sql`and ${asOf} - e.service_date <= ${bucket.maxDays}`
            : sql`and ${asOf} - e.service_date between ${bucket.minDays} and ${bucket.maxDays}`,
      );
    }
  }
  if (filter.denied) {
    const d = filter.denied;
    conditions.push(sql`and exists (
      select 1 from pms.remittance_line rl
      join pms.claim_line cl on cl.id = rl.claim_line_id
      where rl.claim_id = c.id and rl.denied and rl.reverses_line_id is null and rl.payment_date between ${d.period.from}::date and ${d.period.to}::date
        ${d.procedureCode !== undefined ? sql`and cl.procedure_code = ${d.procedureCode}` : nothing}
        ${
          d.groupCode !== undefined || d.reasonCode !== undefined
            ? sql`and exists (select 1 from pms.remittance_adjustment ra where ra.remittance_line_id = rl.id and ra.group_code <> 'PR'
                ${d.groupCode !== undefined ? sql`and ra.group_code = ${d.groupCode}` : nothing}
                ${d.reasonCode !== undefined ? sql`and ra.reason_code = ${d.reasonCode}` : nothing})`
            : nothing
        })`);
  }
  if (page.after) conditions.push(sql`and (e.service_date, c.id) > (${page.after[0]}::date, ${page.after[1]}::uuid)`);
  return sql<ClaimDrillAggregateRow>`
    select c.id as claim_id, c.status, c.patient_id, e.service_date, c.created_at, c.first_submitted_at,
           (select min(x.payment_date) from pms.remittance_line x where x.claim_id = c.id and x.reverses_line_id is null) as first_adjudicated_on,
           c.payer_id, py.name as payer_name, c.provider_id, ${providerName('pr')} as provider_name, c.location_id, lo.name as location_name,
           c.total_charge_cents as charge_cents, m.payer_paid_cents, m.adjusted_cents, m.patient_paid_cents,
           (${asOf} - e.service_date) as age_days
    from pms.claim c
    join pms.encounter e on e.id = c.encounter_id
    left join pms.payer py on py.id = c.payer_id
    left join pms.provider pr on pr.id = c.provider_id
    left join pms.location lo on lo.id = c.location_id
    cross join lateral (
      select
        coalesce((select sum(rl.paid_cents) from pms.remittance_line rl where rl.claim_id = c.id and rl.payment_date <= ${asOf}), 0)::bigint as payer_paid_cents,
        coalesce((select sum(ra.amount_cents) from pms.remittance_adjustment ra join pms.remittance_line rl on rl.id = ra.remittance_line_id
                  where ra.claim_id = c.id and ra.payment_date <= ${asOf} and ra.group_code <> 'PR' and not rl.denied), 0)::bigint as adjusted_cents,
        coalesce((select sum(pp.amount_cents) from pms.patient_payment pp where pp.claim_id = c.id and pp.received_on <= ${asOf}), 0)::bigint as patient_paid_cents
    ) m
    where true ${sql.join(conditions.length > 0 ? conditions : [nothing], sql` `)}
    order by e.service_date, c.id
    limit ${page.first + 1}`;
}

/** One claim of a drill-down: no patient data but the pseudonymous key (and the id, for roles that may see it). */
export interface DrillClaim {
  readonly claimId: string;
  readonly status: ClaimStatus;
  /** HMAC of the patient id: stable, not reversible without the key. */
  readonly patientKey: string;
  /** The real patient id: only ever shown through a field whose data class the analyst lacks. */
  readonly patientId: string;
  readonly serviceDate: string;
  readonly createdAt: Date;
  readonly firstSubmittedAt: Date | null;
  readonly firstAdjudicatedOn: string | null;
  readonly payerId: string | null;
  readonly payerName: string | null;
  readonly providerId: string;
  readonly providerName: string | null;
  readonly locationId: string | null;
  readonly locationName: string | null;
  readonly chargeCents: number;
  readonly payerPaidCents: number;
  readonly adjustedCents: number;
  readonly patientPaidCents: number;
  /** On `asOf`: charge − payer paid − applied adjustments − patient payments; 0 for a void claim (remittance.ts). */
  readonly balanceCents: number;
  /** `asOf` minus the date of service, in days. */
  readonly ageDays: number;
}

export const CLAIM_DRILL_DEFINITION =
  "The claims behind a report's bucket or group, oldest date of service first; amounts as of `asOf`: payer paid, applied adjustments (CO/OI/PI on lines not denied) and patient payments dated by then, balance = charge − those (0 for a void claim); age = `asOf` − date of service; the patient only as a pseudonymous key (HMAC-SHA256 of the patient id under the practice's report key).";

/**
 * A page of claims (`first + 1` fetched: the extra row only says a next page exists), each with its
 * patient's pseudonymous key.
 */
export async function claimDrill(
  db: Kysely<ReportsDatabase>,
  pseudonyms: PatientPseudonyms,
  filter: ClaimDrillFilter,
  page: ClaimDrillPage,
  timeZone: string,
): Promise<DrillClaim[]> {
  const { rows } = await claimDrillQuery(filter, page, timeZone).execute(db);
  return rows.map((r) => ({
    claimId: r.claim_id,
    status: r.status,
    patientKey: pseudonyms.keyOf(r.patient_id),
    patientId: r.patient_id,
    serviceDate: r.service_date,
    createdAt: r.created_at,
    firstSubmittedAt: r.first_submitted_at,
    firstAdjudicatedOn: r.first_adjudicated_on,
    payerId: r.payer_id,
    payerName: r.payer_name,
    providerId: r.provider_id,
    providerName: r.provider_name,
    locationId: r.location_id,
    locationName: r.location_name,
    chargeCents: r.charge_cents,
    payerPaidCents: r.payer_paid_cents,
    adjustedCents: r.adjusted_cents,
    patientPaidCents: r.patient_paid_cents,
    balanceCents: r.status === 'void' ? 0 : r.charge_cents - r.payer_paid_cents - r.adjusted_cents - r.patient_paid_cents,
    ageDays: r.age_days,
  }));
}

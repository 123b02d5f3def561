import { sql, type Kysely, type RawBuilder } from 'kysely';
import { exactRatio } from './exact-ratio.js';
import type { ReportsDatabase } from './report-database.js';
import type { ReportFilters, ReportPeriod } from './report-params.js';
import { claimFilters } from './report-sql.js';

// Payer mix (docs/PRACTICE-DOMAIN.md, "Revenue-cycle KPIs"): each payer's share of the period's charges and
// encounters.

export const PAYER_MIX_DEFINITION =
  "Charges of the period (line charges of claims not void whose line date of service is in the period) by the claim's payer (none when the claim was never billed to one); share = the payer's charges ÷ all charges; encounters = the distinct encounters of those claims, share = the payer's encounters ÷ all; shares are null when the total is 0.";

export interface PayerMixParams {
  readonly period: ReportPeriod;
  /** Provider and location only: the payer is the grouping. */
  readonly filters: Omit<ReportFilters, 'payerId'>;
}

export interface PayerMixAggregateRow {
  readonly payer_id: string | null;
  readonly payer_name: string | null;
  readonly charges_cents: number;
  readonly claims: number;
  readonly encounters: number;
}

/** The payer mix aggregate: a row per payer with charges in the period, from the claims' days with lines of service (reports.claim_day). Exported to be timed or explained on its own. */
export function payerMixAggregateQuery(params: PayerMixParams): RawBuilder<PayerMixAggregateRow> {
  return sql<PayerMixAggregateRow>`
    with by_payer as (
      select d.payer_id, sum(d.charges_cents)::bigint as charges_cents, count(distinct d.claim_id)::int as claims, count(distinct d.encounter_id)::int as encounters
      from reports.claim_day d
      where d.lines > 0 and d.day between ${params.period.from}::date and ${params.period.to}::date and not d.is_void ${claimFilters('d', params.filters)}
      group by d.payer_id
    )
    select b.payer_id, py.name as payer_name, b.charges_cents, b.claims, b.encounters
    from by_payer b left join pms.payer py on py.id = b.payer_id
    order by b.charges_cents desc, py.name nulls last`;
}

export interface PayerMixRow {
  readonly payerId: string | null;
  readonly payerName: string | null;
  readonly chargesCents: number;
  readonly chargeShare: string | null;
  readonly claimCount: number;
  readonly encounterCount: number;
  readonly encounterShare: string | null;
}

export interface PayerMixReport {
  readonly period: ReportPeriod;
  readonly filters: Omit<ReportFilters, 'payerId'>;
  readonly payers: readonly PayerMixRow[];
  readonly total: { readonly chargesCents: number; readonly claimCount: number; readonly encounterCount: number };
  readonly definition: string;
}

/** Each payer's share of the period's charges and encounters; the shares of the rows add up to 1 (up to rounding). */
export async function payerMixReport(db: Kysely<ReportsDatabase>, params: PayerMixParams): Promise<PayerMixReport> {
  const { rows } = await payerMixAggregateQuery(params).execute(db);
  // An encounter has one live claim, so a payer's encounters never overlap another's: the sums are the totals.
  const total = {
    chargesCents: rows.reduce((s, r) => s + r.charges_cents, 0),
    claimCount: rows.reduce((s, r) => s + r.claims, 0),
    encounterCount: rows.reduce((s, r) => s + r.encounters, 0),
  };
  return {
    period: params.period,
    filters: params.filters,
    payers: rows.map((r) => ({
      payerId: r.payer_id,
      payerName: r.payer_name,
      chargesCents: r.charges_cents,
      chargeShare: exactRatio(r.charges_cents, total.chargesCents),
      claimCount: r.claims,
      encounterCount: r.encounters,
      encounterShare: exactRatio(r.encounters, total.encounterCount),
    })),
    total,
    definition: PAYER_MIX_DEFINITION,
  };
}

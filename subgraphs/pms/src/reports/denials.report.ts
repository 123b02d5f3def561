import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReportsDatabase } from './report-database.js';
import type { ReportFilters, ReportPeriod } from './report-params.js';
import { claimFilters } from './report-sql.js';

// Denials by CARC reason and group code, by payer and by procedure code (docs/PRACTICE-DOMAIN.md, "Denials"),
// from the remittance lines a payer denied in a period.

export const DENIALS_DEFINITION =
  "Remittance lines denied in the period (by payment date; denied = the payer paid 0 and adjusted something other than PR), void claims included since the denial happened, a payer's later reversal of a denial not taking it back; amount = the non-PR adjustments of those lines (what the payer refused); by reason: the adjustments with that group code and CARC reason, lines and claims counted once per reason; by payer: the claim's payer; by procedure: the denied line's procedure code.";

export type DenialDimension = 'TOTAL' | 'REASON' | 'PAYER' | 'PROCEDURE';

export interface DenialsParams {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
}

export interface DenialsAggregateRow {
  readonly dimension: DenialDimension;
  /** Payer id for PAYER, null otherwise. */
  readonly key_id: string | null;
  /** Payer name, procedure code; null for REASON and TOTAL. */
  readonly key_name: string | null;
  readonly group_code: string | null;
  readonly reason_code: string | null;
  readonly denied_lines: number;
  readonly denied_claims: number;
  readonly amount_cents: number;
}

/** The denials aggregate, every breakdown in one statement. Exported to be timed or explained on its own. */
export function denialsAggregateQuery(params: DenialsParams): RawBuilder<DenialsAggregateRow> {
  const { from, to } = params.period;
  return sql<DenialsAggregateRow>`
    with denied as (
      select d.remittance_line_id as line_id, d.claim_id, d.payer_id, d.procedure_code, d.group_code, d.reason_code, d.amount_cents
      from reports.denial d
      where d.payment_date between ${from}::date and ${to}::date ${claimFilters('d', params.filters)}
    ),
    by_payer as (
      select payer_id, count(distinct line_id)::int as denied_lines, count(distinct claim_id)::int as denied_claims, sum(amount_cents)::bigint as amount_cents
      from denied group by payer_id
    )
    select 'TOTAL' as dimension, null::uuid as key_id, null::text as key_name, null::text as group_code, null::text as reason_code,
           count(distinct line_id)::int as denied_lines, count(distinct claim_id)::int as denied_claims, coalesce(sum(amount_cents), 0)::bigint as amount_cents
    from denied
    union all
    select 'REASON', null, null, group_code, reason_code, count(distinct line_id)::int, count(distinct claim_id)::int, sum(amount_cents)::bigint
    from denied group by group_code, reason_code
    union all
    select 'PAYER', bp.payer_id, py.name, null, null, bp.denied_lines, bp.denied_claims, bp.amount_cents
    from by_payer bp left join pms.payer py on py.id = bp.payer_id
    union all
    select 'PROCEDURE', null, procedure_code, null, null, count(distinct line_id)::int, count(distinct claim_id)::int, sum(amount_cents)::bigint
    from denied group by procedure_code
    order by 1, 8 desc, 3, 4, 5`;
}

export interface DenialGroup {
  readonly dimension: Exclude<DenialDimension, 'TOTAL'>;
  /** The payer for PAYER; null otherwise. */
  readonly payerId: string | null;
  readonly payerName: string | null;
  readonly groupCode: string | null;
  readonly reasonCode: string | null;
  readonly procedureCode: string | null;
  readonly deniedLines: number;
  readonly deniedClaims: number;
  readonly amountCents: number;
}

export interface DenialsReport {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  readonly total: { readonly deniedLines: number; readonly deniedClaims: number; readonly amountCents: number };
  readonly byReason: readonly DenialGroup[];
  readonly byPayer: readonly DenialGroup[];
  readonly byProcedure: readonly DenialGroup[];
  readonly definition: string;
}

/** Denials of a period by reason and group code, payer and procedure code; largest amounts first. */
export async function denialsReport(db: Kysely<ReportsDatabase>, params: DenialsParams): Promise<DenialsReport> {
  const { rows } = await denialsAggregateQuery(params).execute(db);
  const groups = (dimension: DenialGroup['dimension']): DenialGroup[] =>
    rows
      .filter((r) => r.dimension === dimension)
      .map((r) => ({
        dimension,
        payerId: dimension === 'PAYER' ? r.key_id : null,
        payerName: dimension === 'PAYER' ? r.key_name : null,
        groupCode: r.group_code,
        reasonCode: r.reason_code,
        procedureCode: dimension === 'PROCEDURE' ? r.key_name : null,
        deniedLines: r.denied_lines,
        deniedClaims: r.denied_claims,
        amountCents: r.amount_cents,
      }));
  const total = rows.find((r) => r.dimension === 'TOTAL');
  return {
    period: params.period,
    filters: params.filters,
    total: { deniedLines: total?.denied_lines ?? 0, deniedClaims: total?.denied_claims ?? 0, amountCents: total?.amount_cents ?? 0 },
    byReason: groups('REASON'),
    byPayer: groups('PAYER'),
    byProcedure: groups('PROCEDURE'),
    definition: DENIALS_DEFINITION,
  };
}

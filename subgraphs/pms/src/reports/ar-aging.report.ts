import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReportsDatabase } from './report-database.js';
import type { ReportFilters } from './report-params.js';
import { claimFilters, inArOn, providerName } from './report-sql.js';

// A/R aging (docs/PRACTICE-DOMAIN.md, "Revenue-cycle KPIs"): the A/R on a day split by the age of each claim
// from its date of service.

export const AGING_BUCKETS = [
  { bucket: 'DAYS_0_30', minDays: 0, maxDays: 30 },
  { bucket: 'DAYS_31_60', minDays: 31, maxDays: 60 },
  { bucket: 'DAYS_61_90', minDays: 61, maxDays: 90 },
  { bucket: 'DAYS_91_120', minDays: 91, maxDays: 120 },
  { bucket: 'OVER_120', minDays: 121, maxDays: null },
] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number]['bucket'];
export type AgingGroupBy = 'payer' | 'provider' | 'location';

export const AR_AGING_DEFINITION =
  "A/R on `asOf` by age: each claim not void and first submitted by `asOf` with a balance other than 0 on that day (charge − payer paid − CO/OI/PI adjustments on lines not denied − patient payments on the claim, all dated by `asOf`), aged `asOf` minus its date of service (the encounter's; a date after `asOf` counts as age 0) into 0-30, 31-60, 61-90, 91-120 and over 120 days; amounts are the balances' sums, counts the claims; a group's and the report's total are the sums of their buckets; grouped by the claim's payer, billing provider or location (none when not set).";

export interface ArAgingParams {
  readonly asOf: string;
  readonly groupBy: AgingGroupBy;
  readonly filters: ReportFilters;
  readonly timeZone: string;
}

/** One group's bucket from the aggregate: cents and claims. */
export interface ArAgingAggregateRow {
  readonly group_id: string | null;
  readonly group_name: string | null;
  readonly bucket: AgingBucket;
  readonly amount_cents: number;
  readonly claims: number;
}

const GROUPS: Readonly<
  Record<AgingGroupBy, { readonly column: string; readonly name: RawBuilder<unknown>; readonly join: RawBuilder<unknown> }>
> = {
  payer: { column: 'payer_id', name: sql`g.name`, join: sql`left join pms.payer g on g.id = b.group_id` },
  provider: { column: 'provider_id', name: providerName('g'), join: sql`left join pms.provider g on g.id = b.group_id` },
  location: { column: 'location_id', name: sql`g.name`, join: sql`left join pms.location g on g.id = b.group_id` },
};

/** The SQL condition that puts an age (days) in a bucket; also used by the drill-down. */
export function agingBucketCase(age: RawBuilder<unknown>): RawBuilder<AgingBucket> {
  return sql<AgingBucket>`case when ${age} <= 30 then 'DAYS_0_30' when ${age} <= 60 then 'DAYS_31_60' when ${age} <= 90 then 'DAYS_61_90' when ${age} <= 120 then 'DAYS_91_120' else 'OVER_120' end`;
}

/**
 * The aging aggregate: a row per group and non-empty bucket, from the claims' A/R spans (the span of
 * each claim covering `asOf` holds its balance that day; claims with none owe nothing). Exported to
 * be timed or explained on its own.
 */
export function arAgingAggregateQuery(params: ArAgingParams): RawBuilder<ArAgingAggregateRow> {
  const group = GROUPS[params.groupBy];
  const asOf = sql`${params.asOf}::date`;
  return sql<ArAgingAggregateRow>`
    with b as (
      select ${sql.ref(`s.${group.column}`)} as group_id, ${agingBucketCase(sql`(${asOf} - s.service_date)`)} as bucket,
             sum(s.balance_cents)::bigint as amount_cents, count(*)::int as claims
      from reports.ar_span s
      where ${inArOn('s', asOf, params.timeZone)} ${claimFilters('s', params.filters)}
      group by 1, 2
    )
    select b.group_id, ${group.name} as group_name, b.bucket, b.amount_cents, b.claims
    from b
    ${group.join}
    order by group_name nulls last, b.group_id nulls last, b.bucket`;
}

export interface ArAgingCell {
  readonly bucket: AgingBucket;
  readonly minDays: number;
  readonly maxDays: number | null;
  readonly amountCents: number;
  readonly claimCount: number;
}

export interface ArAgingGroup {
  /** The payer, provider or location id; null for claims without one. */
  readonly id: string | null;
  readonly name: string | null;
  /** All five buckets, in age order, empty ones included. */
  readonly buckets: readonly ArAgingCell[];
  readonly total: { readonly amountCents: number; readonly claimCount: number };
}

export interface ArAgingReport {
  readonly asOf: string;
  readonly groupBy: AgingGroupBy;
  readonly filters: ReportFilters;
  readonly groups: readonly ArAgingGroup[];
  /** The buckets summed over the groups. */
  readonly buckets: readonly ArAgingCell[];
  readonly total: { readonly amountCents: number; readonly claimCount: number };
  readonly definition: string;
}

function cells(rows: ReadonlyArray<Pick<ArAgingAggregateRow, 'bucket' | 'amount_cents' | 'claims'>>): ArAgingCell[] {
  return AGING_BUCKETS.map(({ bucket, minDays, maxDays }) => {
    const mine = rows.filter((r) => r.bucket === bucket);
    return {
      bucket,
      minDays,
      maxDays,
      amountCents: mine.reduce((s, r) => s + r.amount_cents, 0),
      claimCount: mine.reduce((s, r) => s + r.claims, 0),
    };
  });
}

function totalOf(buckets: readonly ArAgingCell[]) {
  return { amountCents: buckets.reduce((s, b) => s + b.amountCents, 0), claimCount: buckets.reduce((s, b) => s + b.claimCount, 0) };
}

/** A/R aging on a day, by payer, provider or location; every total is the sum of its buckets. */
export async function arAgingReport(db: Kysely<ReportsDatabase>, params: ArAgingParams): Promise<ArAgingReport> {
  const { rows } = await arAgingAggregateQuery(params).execute(db);
  // The rows come ordered by group: one pass collects each group's, in that order.
  const byGroup = new Map<string | null, ArAgingAggregateRow[]>();
  for (const row of rows) {
    const mine = byGroup.get(row.group_id);
    if (mine) mine.push(row);
    else byGroup.set(row.group_id, [row]);
  }
  const groups = [...byGroup].map(([id, mine]) => {
    const buckets = cells(mine);
    return { id, name: mine[0]?.group_name ?? null, buckets, total: totalOf(buckets) };
  });
  const buckets = cells(rows);
  return {
    asOf: params.asOf,
    groupBy: params.groupBy,
    filters: params.filters,
    groups,
    buckets,
    total: totalOf(buckets),
    definition: AR_AGING_DEFINITION,
  };
}

import { formatCents } from '@chartbridge/kit';
import { builder } from '../../builder.js';
import {
  AGING_BUCKETS,
  type ArAgingCell,
  type ArAgingGroup as ArAgingGroupShape,
  type ArAgingReport as ArAgingReportShape,
} from '../../reports/ar-aging.report.js';
import type { ClaimDrillFilter } from '../../reports/claim-drill.report.js';
import type { DenialGroup as DenialGroupShape, DenialsReport } from '../../reports/denials.report.js';
import type { PayerMixReport as PayerMixReportShape, PayerMixRow as PayerMixRowShape } from '../../reports/payer-mix.report.js';
import type {
  ProviderMonth as ProviderMonthShape,
  ProviderProductivityReport as ProviderProductivityReportShape,
} from '../../reports/provider-productivity.report.js';
import { arAgingCsv, denialsCsv, payerMixCsv, providerProductivityCsv } from '../../reports/report-csv.js';
import type { ReportFilters } from '../../reports/report-params.js';
import { drillField } from './claim-drill.js';
import { listPageField, reportConnection } from './report-connection.js';

// The grouped reports (A/R aging, denials, payer mix, provider productivity). Every bucket and group
// carries the drill filter that selects its claims, for its `claims` field.

type Drillable<T> = T & { readonly drill: ClaimDrillFilter };

/** The drill filter of a report's own filters. */
export function drillOfFilters(asOf: string, filters: ReportFilters): ClaimDrillFilter {
  return {
    asOf,
    ...(filters.payerId ? { payerId: filters.payerId } : {}),
    ...(filters.providerId ? { providerId: filters.providerId } : {}),
    ...(filters.locationId ? { locationId: filters.locationId } : {}),
  };
}

const filterFields = {
  payerId: (r: { readonly filters: ReportFilters }) => r.filters.payerId ?? null,
  providerId: (r: { readonly filters: ReportFilters }) => r.filters.providerId ?? null,
  locationId: (r: { readonly filters: ReportFilters }) => r.filters.locationId ?? null,
};

export const ArAgingGroupBy = builder.enumType('ArAgingGroupBy', {
  values: {
    PAYER: { value: 'payer' },
    PROVIDER: { value: 'provider', description: "The billing provider (the encounter's)." },
    LOCATION: { value: 'location' },
  } as const,
});

export const ArAgingBucket = builder.enumType('ArAgingBucket', {
  description: 'Age of a claim from its date of service: 0-30, 31-60, 61-90, 91-120, over 120 days.',
  values: Object.fromEntries(AGING_BUCKETS.map((b) => [b.bucket, { value: b.bucket }])) as Record<
    (typeof AGING_BUCKETS)[number]['bucket'],
    { value: (typeof AGING_BUCKETS)[number]['bucket'] }
  >,
});

const ArAgingAmount = builder.objectRef<Drillable<ArAgingCell>>('ArAgingBucketAmount').implement({
  fields: (t) => ({
    bucket: t.field({ type: ArAgingBucket, nullable: false, dataClass: 'financial', resolve: (b) => b.bucket }),
    minDays: t.exposeInt('minDays', { nullable: false, dataClass: 'financial' }),
    maxDays: t.exposeInt('maxDays', { dataClass: 'financial', description: 'Null for the last, open-ended bucket.' }),
    amount: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'A decimal string, e.g. "226.00".',
      resolve: (b) => formatCents(b.amountCents),
    }),
    claimCount: t.exposeInt('claimCount', { nullable: false, dataClass: 'financial' }),
    claims: drillField(t, (b) => b.drill, 'The claims in this bucket.'),
  }),
});

const ArAgingTotal = builder.objectRef<ArAgingGroupShape['total']>('ArAgingTotal').implement({
  description: 'The sum of the buckets.',
  fields: (t) => ({
    amount: t.string({ nullable: false, dataClass: 'financial', resolve: (x) => formatCents(x.amountCents) }),
    claimCount: t.exposeInt('claimCount', { nullable: false, dataClass: 'financial' }),
  }),
});

function cellsWithDrill(cells: readonly ArAgingCell[], drill: ClaimDrillFilter): Array<Drillable<ArAgingCell>> {
  return cells.map((cell) => ({ ...cell, drill: { ...drill, aging: { bucket: cell.bucket } } }));
}

const ArAgingGroup = builder.objectRef<Drillable<ArAgingGroupShape>>('ArAgingGroup').implement({
  fields: (t) => ({
    id: t.exposeID('id', { dataClass: 'operational', description: 'The payer, provider or location; null for claims without one.' }),
    name: t.exposeString('name', { dataClass: 'operational' }),
    buckets: t.field({
      type: [ArAgingAmount],
      nullable: false,
      dataClass: 'financial',
      description: 'All five buckets, in age order.',
      resolve: (g) => cellsWithDrill(g.buckets, g.drill),
    }),
    total: t.field({ type: ArAgingTotal, nullable: false, dataClass: 'financial', resolve: (g) => g.total }),
    claims: drillField(t, (g) => g.drill, "The group's claims in A/R."),
  }),
});

const ArAgingGroupConnection = reportConnection('ArAgingGroup', ArAgingGroup);

export const ArAgingReport = builder.objectRef<Drillable<ArAgingReportShape>>('ArAgingReport').implement({
  description: 'A/R on a day by age from the date of service, grouped; every total is the sum of its buckets.',
  fields: (t) => ({
    asOf: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.asOf }),
    groupBy: t.field({ type: ArAgingGroupBy, nullable: false, dataClass: 'financial', resolve: (r) => r.groupBy }),
    payerId: t.id({ dataClass: 'operational', resolve: filterFields.payerId }),
    providerId: t.id({ dataClass: 'operational', resolve: filterFields.providerId }),
    locationId: t.id({ dataClass: 'operational', resolve: filterFields.locationId }),
    currency: t.string({ nullable: false, dataClass: 'financial', resolve: () => 'USD' }),
    definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
    groups: listPageField(
      t,
      ArAgingGroupConnection,
      (r) => r.groups,
      (g) => g.id ?? '',
      (r, g) => {
        const key =
          r.groupBy === 'payer' ? { payerId: g.id } : r.groupBy === 'location' ? { locationId: g.id } : g.id ? { providerId: g.id } : {};
        return { ...g, drill: { ...r.drill, ...key } };
      },
      'The groups by name',
    ),
    buckets: t.field({
      type: [ArAgingAmount],
      nullable: false,
      dataClass: 'financial',
      description: 'The buckets over all groups.',
      resolve: (r) => cellsWithDrill(r.buckets, r.drill),
    }),
    total: t.field({ type: ArAgingTotal, nullable: false, dataClass: 'financial', resolve: (r) => r.total }),
    csv: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The report as CSV: one row per group and bucket.',
      resolve: (r) => arAgingCsv(r),
    }),
  }),
});

const DenialDimension = builder.enumType('DenialDimension', {
  values: {
    REASON: { value: 'REASON', description: 'Adjustment group code and CARC reason.' },
    PAYER: { value: 'PAYER' },
    PROCEDURE: { value: 'PROCEDURE' },
  } as const,
});

const DenialTotal = builder.objectRef<DenialsReport['total']>('DenialTotal').implement({
  fields: (t) => ({
    deniedLines: t.exposeInt('deniedLines', { nullable: false, dataClass: 'financial' }),
    deniedClaims: t.exposeInt('deniedClaims', { nullable: false, dataClass: 'financial' }),
    amount: t.string({ nullable: false, dataClass: 'financial', resolve: (x) => formatCents(x.amountCents) }),
  }),
});

const DenialGroup = builder.objectRef<Drillable<DenialGroupShape>>('DenialGroup').implement({
  description: 'Denials of one reason, payer or procedure code.',
  fields: (t) => ({
    dimension: t.field({ type: DenialDimension, nullable: false, dataClass: 'financial', resolve: (g) => g.dimension }),
    groupCode: t.exposeString('groupCode', { dataClass: 'financial', description: 'CO, OI or PI (REASON only).' }),
    reasonCode: t.exposeString('reasonCode', { dataClass: 'financial', description: 'The CARC reason code (REASON only).' }),
    payerId: t.exposeID('payerId', { dataClass: 'operational' }),
    payerName: t.exposeString('payerName', { dataClass: 'operational' }),
    procedureCode: t.exposeString('procedureCode', {
      dataClass: 'financial',
      description: "The denied lines' CPT/HCPCS code (PROCEDURE only).",
    }),
    deniedLines: t.exposeInt('deniedLines', { nullable: false, dataClass: 'financial' }),
    deniedClaims: t.exposeInt('deniedClaims', { nullable: false, dataClass: 'financial' }),
    amount: t.string({ nullable: false, dataClass: 'financial', resolve: (g) => formatCents(g.amountCents) }),
    claims: drillField(t, (g) => g.drill, 'The claims with a line denied in the period for this reason, payer or procedure.'),
  }),
});

export const DenialReport = builder.objectRef<Drillable<DenialsReport>>('DenialReport').implement({
  description: 'Denied remittance lines of a period by reason and group code, by payer and by procedure code; largest amounts first.',
  fields: (t) => {
    const groups = (pick: (r: DenialsReport) => readonly DenialGroupShape[]) => (r: Drillable<DenialsReport>) =>
      pick(r).map((g) => ({
        ...g,
        drill: {
          ...r.drill,
          ...(g.payerId ? { payerId: g.payerId } : {}),
          denied: {
            period: r.period,
            ...(g.groupCode ? { groupCode: g.groupCode } : {}),
            ...(g.reasonCode ? { reasonCode: g.reasonCode } : {}),
            ...(g.procedureCode ? { procedureCode: g.procedureCode } : {}),
          },
        },
      }));
    return {
      from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
      to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
      payerId: t.id({ dataClass: 'operational', resolve: filterFields.payerId }),
      providerId: t.id({ dataClass: 'operational', resolve: filterFields.providerId }),
      locationId: t.id({ dataClass: 'operational', resolve: filterFields.locationId }),
      currency: t.string({ nullable: false, dataClass: 'financial', resolve: () => 'USD' }),
      definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
      total: t.field({ type: DenialTotal, nullable: false, dataClass: 'financial', resolve: (r) => r.total }),
      byReason: t.field({ type: [DenialGroup], nullable: false, dataClass: 'financial', resolve: groups((r) => r.byReason) }),
      byPayer: t.field({ type: [DenialGroup], nullable: false, dataClass: 'financial', resolve: groups((r) => r.byPayer) }),
      byProcedure: t.field({ type: [DenialGroup], nullable: false, dataClass: 'financial', resolve: groups((r) => r.byProcedure) }),
      csv: t.string({
        nullable: false,
        dataClass: 'financial',
        description: 'The report as CSV: the total, then one row per group (`dimension` says which breakdown).',
        resolve: (r) => denialsCsv(r),
      }),
    };
  },
});

const PayerMixRow = builder.objectRef<Drillable<PayerMixRowShape>>('PayerMixRow').implement({
  fields: (t) => ({
    payerId: t.exposeID('payerId', { dataClass: 'operational', description: 'Null for claims billed to no payer.' }),
    payerName: t.exposeString('payerName', { dataClass: 'operational' }),
    charges: t.string({ nullable: false, dataClass: 'financial', resolve: (r) => formatCents(r.chargesCents) }),
    chargeShare: t.exposeString('chargeShare', {
      dataClass: 'financial',
      description: "The payer's charges ÷ all charges, 4 places; null when there are none.",
    }),
    claimCount: t.exposeInt('claimCount', { nullable: false, dataClass: 'financial' }),
    encounterCount: t.exposeInt('encounterCount', { nullable: false, dataClass: 'financial' }),
    encounterShare: t.exposeString('encounterShare', { dataClass: 'financial' }),
    claims: drillField(t, (r) => r.drill, "The payer's claims with a line served in the period."),
  }),
});

const PayerMixTotal = builder.objectRef<PayerMixReportShape['total']>('PayerMixTotal').implement({
  fields: (t) => ({
    charges: t.string({ nullable: false, dataClass: 'financial', resolve: (x) => formatCents(x.chargesCents) }),
    claimCount: t.exposeInt('claimCount', { nullable: false, dataClass: 'financial' }),
    encounterCount: t.exposeInt('encounterCount', { nullable: false, dataClass: 'financial' }),
  }),
});

export const PayerMixReport = builder.objectRef<Drillable<PayerMixReportShape>>('PayerMixReport').implement({
  description: "Each payer's share of a period's charges and encounters.",
  fields: (t) => ({
    from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
    providerId: t.id({ dataClass: 'operational', resolve: filterFields.providerId }),
    locationId: t.id({ dataClass: 'operational', resolve: filterFields.locationId }),
    currency: t.string({ nullable: false, dataClass: 'financial', resolve: () => 'USD' }),
    definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
    payers: t.field({
      type: [PayerMixRow],
      nullable: false,
      dataClass: 'financial',
      resolve: (r) => r.payers.map((p) => ({ ...p, drill: { ...r.drill, payerId: p.payerId, servicePeriod: r.period } })),
    }),
    total: t.field({ type: PayerMixTotal, nullable: false, dataClass: 'financial', resolve: (r) => r.total }),
    csv: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The report as CSV: one row per payer.',
      resolve: (r) => payerMixCsv(r),
    }),
  }),
});

const ProviderMonth = builder.objectRef<Drillable<ProviderMonthShape>>('ProviderMonth').implement({
  description: "A provider's month: encounters, procedures, charges and payments.",
  fields: (t) => ({
    providerId: t.exposeID('providerId', { nullable: false, dataClass: 'operational' }),
    providerName: t.exposeString('providerName', { dataClass: 'operational' }),
    month: t.exposeString('month', { nullable: false, dataClass: 'financial', description: 'YYYY-MM' }),
    from: t.field({
      type: 'Date',
      nullable: false,
      dataClass: 'financial',
      description: 'The first day of the month inside the period.',
      resolve: (m) => m.period.from,
    }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (m) => m.period.to }),
    encounters: t.exposeInt('encounters', { nullable: false, dataClass: 'financial' }),
    procedures: t.exposeInt('procedures', { nullable: false, dataClass: 'financial', description: 'Claim lines.' }),
    units: t.exposeInt('units', { nullable: false, dataClass: 'financial' }),
    charges: t.string({ nullable: false, dataClass: 'financial', resolve: (m) => formatCents(m.chargesCents) }),
    payments: t.string({ nullable: false, dataClass: 'financial', resolve: (m) => formatCents(m.paymentsCents) }),
    claims: drillField(t, (m) => m.drill, "The provider's claims with a line served in the month."),
  }),
});

const ProviderMonthConnection = reportConnection('ProviderMonth', ProviderMonth);

export const ProviderProductivityReport = builder
  .objectRef<Drillable<ProviderProductivityReportShape>>('ProviderProductivityReport')
  .implement({
    description: 'Per provider and month: encounters, procedures, charges and payments.',
    fields: (t) => ({
      from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
      to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
      providerId: t.id({ dataClass: 'operational', resolve: filterFields.providerId }),
      locationId: t.id({ dataClass: 'operational', resolve: filterFields.locationId }),
      currency: t.string({ nullable: false, dataClass: 'financial', resolve: () => 'USD' }),
      definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
      rows: listPageField(
        t,
        ProviderMonthConnection,
        (r) => r.rows,
        (m) => `${m.providerId} ${m.month}`,
        (r, m) => ({ ...m, drill: { ...r.drill, providerId: m.providerId, servicePeriod: m.period } }),
        'By provider name and month',
      ),
      csv: t.string({
        nullable: false,
        dataClass: 'financial',
        description: 'The report as CSV: one row per provider and month.',
        resolve: (r) => providerProductivityCsv(r),
      }),
    }),
  });

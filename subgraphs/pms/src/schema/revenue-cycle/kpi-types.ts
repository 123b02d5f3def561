import { builder } from '../../builder.js';
import { KPI_NAMES, type KpiReport, type KpiTrend as KpiTrendShape, type KpiValue as KpiValueShape } from '../../reports/kpi.report.js';
import { kpiTrendCsv, kpisCsv } from '../../reports/report-csv.js';

export const RevenueCycleKpi = builder.enumType('RevenueCycleKpi', {
  description: 'The revenue-cycle KPIs (their definitions: `KpiValue.definition`).',
  values: Object.fromEntries(KPI_NAMES.map((name) => [name, { value: name }])) as Record<
    (typeof KPI_NAMES)[number],
    { value: (typeof KPI_NAMES)[number] }
  >,
});

const KpiUnit = builder.enumType('KpiUnit', {
  values: { RATIO: { value: 'RATIO', description: 'A fraction: 0.2500 is 25%.' }, DAYS: { value: 'DAYS' } } as const,
});

const KpiQuantity = builder.enumType('KpiQuantity', {
  values: {
    MONEY: { value: 'MONEY', description: 'A decimal amount in the report currency, e.g. "1215.00".' },
    CLAIMS: { value: 'CLAIMS' },
    LINES: { value: 'LINES', description: 'Remittance lines.' },
    DAYS: { value: 'DAYS' },
  } as const,
});

export const TrendInterval = builder.enumType('TrendInterval', {
  values: {
    MONTH: { value: 'month', description: 'Calendar months, the first and last cut to the period.' },
    WEEK: { value: 'week', description: 'ISO weeks (Monday to Sunday), the first and last cut to the period.' },
  } as const,
});

export const KpiValue = builder.objectRef<KpiValueShape>('KpiValue').implement({
  description:
    'A KPI with what it was computed from, so it can be checked by hand: value = numerator × multiplier ÷ denominator, rounded to 4 places.',
  fields: (t) => ({
    kpi: t.field({ type: RevenueCycleKpi, nullable: false, dataClass: 'financial', resolve: (v) => v.kpi }),
    value: t.exposeString('value', {
      dataClass: 'financial',
      description:
        'An exact decimal string rounded half away from zero to 4 places; null when the denominator is not positive (an empty period).',
    }),
    unit: t.field({ type: KpiUnit, nullable: false, dataClass: 'financial', resolve: (v) => v.unit }),
    numerator: t.exposeString('numerator', { nullable: false, dataClass: 'financial' }),
    numeratorQuantity: t.field({ type: KpiQuantity, nullable: false, dataClass: 'financial', resolve: (v) => v.numeratorQuantity }),
    denominator: t.exposeString('denominator', { nullable: false, dataClass: 'financial' }),
    denominatorQuantity: t.field({ type: KpiQuantity, nullable: false, dataClass: 'financial', resolve: (v) => v.denominatorQuantity }),
    multiplier: t.exposeInt('multiplier', {
      nullable: false,
      dataClass: 'financial',
      description: '1, or the days of the period for days in A/R.',
    }),
    definition: t.exposeString('definition', { nullable: false, dataClass: 'financial', description: 'Exactly how the KPI was computed.' }),
  }),
});

export const RevenueCycleKpis = builder.objectRef<KpiReport>('RevenueCycleKpis').implement({
  description:
    'The revenue-cycle KPIs of a period (dates inclusive, in the practice time zone), with the filters they were computed under.',
  fields: (t) => ({
    from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
    days: t.exposeInt('days', { nullable: false, dataClass: 'financial', description: 'Days in the period, both ends counted.' }),
    payerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.payerId ?? null }),
    providerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.providerId ?? null }),
    locationId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.locationId ?? null }),
    currency: t.string({ nullable: false, dataClass: 'financial', resolve: () => 'USD' }),
    daysInAr: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.DAYS_IN_AR }),
    arOver90: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.AR_OVER_90 }),
    netCollectionRate: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.NET_COLLECTION_RATE }),
    grossCollectionRate: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.GROSS_COLLECTION_RATE }),
    cleanClaimRate: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.CLEAN_CLAIM_RATE }),
    firstPassResolutionRate: t.field({
      type: KpiValue,
      nullable: false,
      dataClass: 'financial',
      resolve: (r) => r.kpis.FIRST_PASS_RESOLUTION_RATE,
    }),
    denialRate: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.DENIAL_RATE }),
    lineDenialRate: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.LINE_DENIAL_RATE }),
    chargeLag: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (r) => r.kpis.CHARGE_LAG }),
    values: t.field({
      type: [KpiValue],
      nullable: false,
      dataClass: 'financial',
      description: 'Every KPI above, in RevenueCycleKpi order.',
      resolve: (r) => KPI_NAMES.map((k) => r.kpis[k]),
    }),
    csv: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The report as CSV (RFC 4180): one row per KPI, with the period, filters and definition on each.',
      resolve: (r) => kpisCsv(r),
    }),
  }),
});

const KpiTrendPoint = builder.objectRef<KpiTrendShape['points'][number]>('KpiTrendPoint').implement({
  fields: (t) => ({
    from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (p) => p.period.from }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (p) => p.period.to }),
    value: t.field({ type: KpiValue, nullable: false, dataClass: 'financial', resolve: (p) => p.value }),
  }),
});

export const KpiTrend = builder.objectRef<KpiTrendShape>('KpiTrend').implement({
  description: 'One KPI per month or week of a period, each computed as `kpis` would for that sub-period.',
  fields: (t) => ({
    kpi: t.field({ type: RevenueCycleKpi, nullable: false, dataClass: 'financial', resolve: (r) => r.kpi }),
    interval: t.field({ type: TrendInterval, nullable: false, dataClass: 'financial', resolve: (r) => r.interval }),
    from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
    payerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.payerId ?? null }),
    providerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.providerId ?? null }),
    locationId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.locationId ?? null }),
    points: t.field({ type: [KpiTrendPoint], nullable: false, dataClass: 'financial', resolve: (r) => [...r.points] }),
    csv: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The trend as CSV: one row per sub-period.',
      resolve: (r) => kpiTrendCsv(r),
    }),
  }),
});

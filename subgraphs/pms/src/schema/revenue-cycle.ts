import { builder } from '../builder.js';
import { arAgingReport } from '../reports/ar-aging.report.js';
import { complianceSummary } from '../reports/compliance.report.js';
import { denialsReport } from '../reports/denials.report.js';
import { kpiReport, kpiTrend } from '../reports/kpi.report.js';
import { payerMixReport } from '../reports/payer-mix.report.js';
import { providerProductivityReport } from '../reports/provider-productivity.report.js';
import { parseDate, parsePeriod, type ReportPeriod } from '../reports/report-params.js';
import { drillPage, RevenueCycleClaimConnection } from './revenue-cycle/claim-drill.js';
import { ComplianceReport, ComplianceReportRule } from './revenue-cycle/compliance-types.js';
import {
  ArAgingBucket,
  ArAgingGroupBy,
  ArAgingReport,
  DenialReport,
  PayerMixReport,
  ProviderProductivityReport,
  drillOfFilters,
} from './revenue-cycle/group-types.js';
import { KpiTrend, RevenueCycleKpi, RevenueCycleKpis, TrendInterval } from './revenue-cycle/kpi-types.js';
import { assertMayRunReports, checkedFilters, periodAndFilters, withReportInput } from './revenue-cycle/report-access.js';

// `Query.revenueCycle` (docs/PRACTICE-DOMAIN.md, "Revenue-cycle KPIs"): the reports for analysts (OPERATIONS) and
// billers (PAYMENT). Resolvers check the arguments and call the report functions of reports/, which
// run SQL aggregates on the reports' read-only connection; no patient data is in any aggregate.
// Periods are `from`/`to` dates, both inclusive, in the practice's time zone; a missing, reversed or
// 5-year-long period, or an unknown payer, provider or location, is BAD_USER_INPUT naming the argument.

const REVENUE_CYCLE = Object.freeze({ kind: 'revenueCycle' as const });

const RevenueCycle = builder.objectRef<typeof REVENUE_CYCLE>('RevenueCycle').implement({
  description:
    'Revenue-cycle analytics: KPIs, A/R aging, denials, payer mix, productivity, trends, compliance, and drill-down to claims with pseudonymous patients.',
  fields: (t) => {
    const period = {
      from: t.arg({ type: 'Date', description: 'First day, inclusive (required).' }),
      to: t.arg({ type: 'Date', description: 'Last day, inclusive (required).' }),
    };
    const filters = {
      payerId: t.arg.id(),
      providerId: t.arg.id({ description: "The billing provider (the encounter's)." }),
      locationId: t.arg.id(),
    };
    return {
      kpis: t.field({
        type: RevenueCycleKpis,
        nullable: false,
        dataClass: 'financial',
        description:
          'Days in A/R, A/R over 90 days, net and gross collection, clean claim, first-pass resolution, denial (claims and lines) rates and charge lag of a period.',
        args: { ...period, ...filters },
        resolve: async (_root, args, ctx) =>
          kpiReport(ctx.reports.db, { ...(await periodAndFilters(ctx, args)), timeZone: ctx.reports.timeZone }),
      }),
      arAging: t.field({
        type: ArAgingReport,
        nullable: false,
        dataClass: 'financial',
        description:
          'A/R on `asOf` in the buckets 0-30, 31-60, 61-90, 91-120 and over 120 days from the date of service, by payer, provider or location.',
        args: {
          asOf: t.arg({ type: 'Date', description: 'The day (required).' }),
          groupBy: t.arg({ type: ArAgingGroupBy, defaultValue: 'payer' }),
          ...filters,
        },
        resolve: async (_root, args, ctx) => {
          const asOf = await withReportInput(() => parseDate(args.asOf, 'asOf'));
          const checked = await checkedFilters(ctx, args);
          const report = await arAgingReport(ctx.reports.db, {
            asOf,
            groupBy: args.groupBy ?? 'payer',
            filters: checked,
            timeZone: ctx.reports.timeZone,
          });
          return { ...report, drill: { ...drillOfFilters(asOf, checked), aging: { bucket: null } } };
        },
      }),
      denials: t.field({
        type: DenialReport,
        nullable: false,
        dataClass: 'financial',
        description: 'Denials of a period by CARC reason and group code, by payer and by procedure code.',
        args: { ...period, ...filters },
        resolve: async (_root, args, ctx) => {
          const checked = await periodAndFilters(ctx, args);
          return { ...(await denialsReport(ctx.reports.db, checked)), drill: drillOfFilters(checked.period.to, checked.filters) };
        },
      }),
      payerMix: t.field({
        type: PayerMixReport,
        nullable: false,
        dataClass: 'financial',
        description: "Each payer's share of the period's charges and encounters.",
        args: { ...period, providerId: filters.providerId, locationId: filters.locationId },
        resolve: async (_root, args, ctx) => {
          const checked = await periodAndFilters(ctx, args);
          return { ...(await payerMixReport(ctx.reports.db, checked)), drill: drillOfFilters(checked.period.to, checked.filters) };
        },
      }),
      providerProductivity: t.field({
        type: ProviderProductivityReport,
        nullable: false,
        dataClass: 'financial',
        description: 'Encounters, procedures, charges and payments per provider per month of the period.',
        args: { ...period, providerId: filters.providerId, locationId: filters.locationId },
        resolve: async (_root, args, ctx) => {
          const checked = await periodAndFilters(ctx, args);
          return {
            ...(await providerProductivityReport(ctx.reports.db, checked)),
            drill: drillOfFilters(checked.period.to, checked.filters),
          };
        },
      }),
      trend: t.field({
        type: KpiTrend,
        nullable: false,
        dataClass: 'financial',
        description: 'One KPI per month or week of the period.',
        args: {
          kpi: t.arg({ type: RevenueCycleKpi, required: true }),
          ...period,
          interval: t.arg({ type: TrendInterval, defaultValue: 'month' }),
          ...filters,
        },
        resolve: async (_root, args, ctx) =>
          kpiTrend(ctx.reports.db, {
            ...(await periodAndFilters(ctx, args)),
            kpi: args.kpi,
            interval: args.interval ?? 'month',
            timeZone: ctx.reports.timeZone,
          }),
      }),
      claims: t.field({
        type: RevenueCycleClaimConnection,
        nullable: false,
        dataClass: 'financial',
        description:
          'Drill-down: claims with their amounts on `asOf`, oldest date of service first. `from`/`to`: with a line served in the period; `inAr` or `agingBucket`: in A/R on `asOf` (in that bucket). Every bucket and group of the reports also has its own `claims`.',
        args: {
          asOf: t.arg({ type: 'Date', description: 'The day the amounts are on (required).' }),
          ...period,
          inAr: t.arg.boolean(),
          agingBucket: t.arg({ type: ArAgingBucket }),
          ...filters,
          first: t.arg.int(),
          after: t.arg.string(),
        },
        resolve: async (_root, args, ctx) => {
          const asOf = await withReportInput(() => parseDate(args.asOf, 'asOf'));
          const servicePeriod: ReportPeriod | undefined = args.from || args.to ? await withReportInput(() => parsePeriod(args)) : undefined;
          const checked = await checkedFilters(ctx, args);
          const aging = args.agingBucket ? { bucket: args.agingBucket } : args.inAr ? { bucket: null } : undefined;
          return drillPage(
            ctx,
            { ...drillOfFilters(asOf, checked), ...(servicePeriod ? { servicePeriod } : {}), ...(aging ? { aging } : {}) },
            args,
          );
        },
      }),
      complianceReport: t.field({
        type: ComplianceReport,
        nullable: false,
        dataClass: 'financial',
        description: 'Claims of the period breaking a compliance rule (all rules, or `rule`), counted by rule and by provider, and listed.',
        args: { ...period, rule: t.arg({ type: ComplianceReportRule }), ...filters },
        resolve: async (_root, args, ctx) => {
          const params = {
            ...(await periodAndFilters(ctx, args)),
            ...(args.rule ? { rule: args.rule } : {}),
            timeZone: ctx.reports.timeZone,
          };
          return { ...(await complianceSummary(ctx.reports.db, params)), params };
        },
      }),
    };
  },
});

builder.queryFields((t) => ({
  revenueCycle: t.field({
    type: RevenueCycle,
    nullable: false,
    dataClass: 'financial',
    description: 'Revenue-cycle analytics, for the analyst and biller roles (FORBIDDEN for any other).',
    resolve: (_root, _args, ctx) => {
      assertMayRunReports(ctx);
      return REVENUE_CYCLE;
    },
  }),
}));

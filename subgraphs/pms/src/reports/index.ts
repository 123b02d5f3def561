// The revenue-cycle reports as plain functions over a Kysely instance and checked parameters, apart
// from GraphQL: the PMS's `Query.revenueCycle`, `pnpm report` and benchmarks all call these. Each
// report also exports its SQL aggregate (`...Query`, a Kysely RawBuilder: `.compile(db)` for its
// text and parameters, `.execute(db)` to run it alone).
export { AGING_BUCKETS, AR_AGING_DEFINITION, arAgingAggregateQuery, arAgingReport } from './ar-aging.report.js';
export type {
  AgingBucket,
  AgingGroupBy,
  ArAgingAggregateRow,
  ArAgingCell,
  ArAgingGroup,
  ArAgingParams,
  ArAgingReport,
} from './ar-aging.report.js';
export { CLAIM_DRILL_DEFINITION, claimDrill, claimDrillQuery } from './claim-drill.report.js';
export type { ClaimDrillAggregateRow, ClaimDrillFilter, ClaimDrillPage, DrillClaim } from './claim-drill.report.js';
export {
  COMPLIANCE_DEFINITION,
  COMPLIANCE_RULES,
  COMPLIANCE_RULE_DEFINITIONS,
  HIGH_DOLLAR_THRESHOLD_CENTS,
  LATE_SIGNATURE_DAYS,
  complianceCountsQuery,
  complianceFindings,
  complianceFindingsQuery,
  complianceSummary,
} from './compliance.report.js';
export type {
  ComplianceCount,
  ComplianceFinding,
  ComplianceParams,
  CompliancePage,
  ComplianceRule,
  ComplianceSeverity,
  ComplianceSummary,
} from './compliance.report.js';
export { DENIALS_DEFINITION, denialsAggregateQuery, denialsReport } from './denials.report.js';
export type { DenialGroup, DenialsAggregateRow, DenialsParams, DenialsReport } from './denials.report.js';
export { exactRatio } from './exact-ratio.js';
export { KPI_DEFINITIONS, KPI_NAMES, kpiAggregateQuery, kpiReport, kpiTrend, kpiValues } from './kpi.report.js';
export type {
  KpiAggregateParams,
  KpiAggregateRow,
  KpiName,
  KpiParams,
  KpiReport,
  KpiTrend,
  KpiTrendParams,
  KpiValue,
} from './kpi.report.js';
export { PAYER_MIX_DEFINITION, payerMixAggregateQuery, payerMixReport } from './payer-mix.report.js';
export type { PayerMixParams, PayerMixReport, PayerMixRow } from './payer-mix.report.js';
export {
  PROVIDER_PRODUCTIVITY_DEFINITION,
  providerProductivityAggregateQuery,
  providerProductivityReport,
} from './provider-productivity.report.js';
export type { ProviderMonth, ProviderProductivityParams, ProviderProductivityReport } from './provider-productivity.report.js';
export { PatientPseudonyms, openPatientPseudonyms, parsePseudonymKey, type PseudonymKeyConfig } from './pseudonym.js';
export * from './report-csv.js';
export { REPORTS_SESSION_SETTINGS, reportsSessionSettings } from './report-database.js';
export type { ReportsContext, ReportsDatabase } from './report-database.js';
export {
  MAX_PERIOD_YEARS,
  ReportInputError,
  assertFiltersExist,
  parseDate,
  parseFilters,
  parsePeriod,
  periodDays,
  splitPeriod,
  type ReportFilters,
  type ReportInterval,
  type ReportPeriod,
} from './report-params.js';

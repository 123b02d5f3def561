import { badUserInput, pageRequest, toConnection } from '@chartbridge/kit';
import { builder } from '../../builder.js';
import type { PmsContext } from '../../context.js';
import {
  COMPLIANCE_RULES,
  COMPLIANCE_RULE_DEFINITIONS,
  complianceFindings,
  type ComplianceCount,
  type ComplianceFinding,
  type ComplianceParams,
  type ComplianceRule,
  type ComplianceSummary,
} from '../../reports/compliance.report.js';
import { complianceFindingsCsv, complianceSummaryCsv } from '../../reports/report-csv.js';
import type { ReportFilters, ReportPeriod } from '../../reports/report-params.js';
import { listPageField, reportConnection } from './report-connection.js';
import { withReportInput } from './report-access.js';

// The compliance report: counts by rule and by rule and provider, and the findings a page at a time.
// Named apart from `ComplianceFinding` (an encounter's live findings, schema/compliance.ts): same
// rule ids, but these are rows of a report over a period.

export const ComplianceReportRule = builder.enumType('ComplianceReportRule', {
  description: 'The compliance rules, by the ids `Encounter.complianceFindings` uses.',
  values: Object.fromEntries(
    COMPLIANCE_RULES.map((rule) => [rule, { value: rule, description: COMPLIANCE_RULE_DEFINITIONS[rule] }]),
  ) as Record<ComplianceRule, { value: ComplianceRule; description: string }>,
});

const ComplianceReportCount = builder.objectRef<ComplianceCount>('ComplianceReportCount').implement({
  fields: (t) => ({
    rule: t.field({ type: ComplianceReportRule, nullable: false, dataClass: 'financial', resolve: (c) => c.rule }),
    providerId: t.exposeID('providerId', { dataClass: 'operational', description: 'Null on the counts by rule alone.' }),
    providerName: t.exposeString('providerName', { dataClass: 'operational' }),
    findings: t.exposeInt('findings', { nullable: false, dataClass: 'financial' }),
    claims: t.exposeInt('claims', { nullable: false, dataClass: 'financial', description: 'Distinct claims with a finding.' }),
  }),
});

const ComplianceReportFinding = builder.objectRef<ComplianceFinding>('ComplianceReportFinding').implement({
  description: 'A claim (or one of its lines) that breaks a compliance rule. No codes, no patient data.',
  fields: (t) => ({
    rule: t.field({ type: ComplianceReportRule, nullable: false, dataClass: 'financial', resolve: (f) => f.rule }),
    severity: t.string({
      nullable: false,
      dataClass: 'financial',
      description: '`ERROR` or `WARNING`, as `ComplianceFinding.severity`.',
      resolve: (f) => f.severity.toUpperCase(),
    }),
    claimId: t.exposeID('claimId', { nullable: false, dataClass: 'financial' }),
    encounterId: t.exposeID('encounterId', { nullable: false, dataClass: 'financial' }),
    lineNumber: t.exposeInt('lineNumber', { dataClass: 'financial', description: 'The line at fault; null for the whole claim.' }),
    providerId: t.exposeID('providerId', { nullable: false, dataClass: 'operational' }),
    providerName: t.exposeString('providerName', { dataClass: 'operational' }),
    serviceDate: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (f) => f.serviceDate }),
    submittedAt: t.field({
      type: 'DateTime',
      dataClass: 'financial',
      description: "The claim's latest submission.",
      resolve: (f) => f.submittedAt,
    }),
    message: t.exposeString('message', { nullable: false, dataClass: 'financial' }),
  }),
});

interface FindingsStatement {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
}

const ComplianceReportFindingConnection = reportConnection<ComplianceFinding, FindingsStatement>(
  'ComplianceReportFinding',
  ComplianceReportFinding,
  (c) =>
    complianceFindingsCsv(
      c.period,
      c.filters,
      c.edges.map((e) => e.node),
    ),
);

const ComplianceRuleDefinition = builder.objectRef<{ readonly rule: ComplianceRule }>('ComplianceRuleDefinition').implement({
  fields: (t) => ({
    rule: t.field({ type: ComplianceReportRule, nullable: false, dataClass: 'financial', resolve: (r) => r.rule }),
    definition: t.string({ nullable: false, dataClass: 'financial', resolve: (r) => COMPLIANCE_RULE_DEFINITIONS[r.rule] }),
  }),
});

async function findingsPage(ctx: PmsContext, params: ComplianceParams, args: { first?: number | null; after?: string | null }) {
  const page = await withReportInput(() => pageRequest(args, ['date', 'uuid', 'text', 'text']));
  const after = page.after ? ([page.after[0] ?? '', page.after[1] ?? '', page.after[2] ?? '', page.after[3] ?? ''] as const) : undefined;
  // The rule and line parts reach SQL as text and an integer: check them as pageRequest checks the rest.
  if (after && (!(COMPLIANCE_RULES as readonly string[]).includes(after[2]) || !/^\d{1,3}$/.test(after[3])))
    throw badUserInput('after is not a cursor from this list', 'after');
  const rows = await complianceFindings(ctx.reports.db, params, { first: page.first, ...(after ? { after } : {}) });
  return {
    ...toConnection(rows, page, (f) => [f.serviceDate, f.claimId, f.rule, String(f.lineNumber ?? 0)]),
    period: params.period,
    filters: params.filters,
  };
}

const ComplianceReportCountConnection = reportConnection('ComplianceReportCount', ComplianceReportCount);

export const ComplianceReport = builder.objectRef<ComplianceSummary & { readonly params: ComplianceParams }>('ComplianceReport').implement({
  description:
    "Claims of a period (by the encounter's date of service) that break the payers' and auditors' compliance rules: counts by rule and provider, and the findings.",
  fields: (t) => ({
    from: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.from }),
    to: t.field({ type: 'Date', nullable: false, dataClass: 'financial', resolve: (r) => r.period.to }),
    rule: t.field({
      type: ComplianceReportRule,
      dataClass: 'financial',
      description: 'The one rule asked for; null for all.',
      resolve: (r) => r.rule,
    }),
    payerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.payerId ?? null }),
    providerId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.providerId ?? null }),
    locationId: t.id({ dataClass: 'operational', resolve: (r) => r.filters.locationId ?? null }),
    definition: t.exposeString('definition', { nullable: false, dataClass: 'financial' }),
    rules: t.field({
      type: [ComplianceRuleDefinition],
      nullable: false,
      dataClass: 'financial',
      description: 'What each rule finds.',
      resolve: () => COMPLIANCE_RULES.map((rule) => ({ rule })),
    }),
    byRule: t.field({ type: [ComplianceReportCount], nullable: false, dataClass: 'financial', resolve: (r) => [...r.byRule] }),
    byProvider: listPageField(
      t,
      ComplianceReportCountConnection,
      (r) => r.byProvider,
      (c) => `${c.rule} ${c.providerId ?? ''}`,
      (_r, c) => c,
      'By rule and provider',
    ),
    findings: t.field({
      type: ComplianceReportFindingConnection,
      nullable: false,
      dataClass: 'financial',
      description: 'The findings by date of service, claim, rule and line. First up to 100 (default 20).',
      args: { first: t.arg.int(), after: t.arg.string() },
      resolve: (r, args, ctx) => findingsPage(ctx, r.params, args),
    }),
    csv: t.string({
      nullable: false,
      dataClass: 'financial',
      description: 'The counts as CSV: by rule, then by rule and provider.',
      resolve: (r) => complianceSummaryCsv(r),
    }),
  }),
});

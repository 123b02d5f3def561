import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReportsDatabase } from './report-database.js';
import type { ReportFilters, ReportPeriod } from './report-params.js';
import { DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS, type ScrubSeverity } from '../rules/claim-scrubber.js';
import { DEFAULT_LATE_SIGNATURE_DAYS, type ComplianceRuleId } from '../rules/compliance-findings.js';
import { claimFilters, localDay, providerName } from './report-sql.js';

// The compliance report (docs/PRACTICE-DOMAIN.md, "Compliance rules that matter to payers and auditors") over the
// claims of a period, from the findings the database derives across the billing (pms) and
// documentation (ehr) facts (db/src/migrations/reports). The rule ids,
// thresholds and meanings are those of `Encounter.complianceFindings` (rules/compliance-findings.ts):
// each live claim compared with the EHR's documentation as it is now. Where that module words one
// problem as several findings (a units and a code difference on one line, each undocumented
// diagnosis, each late addendum), this report counts one per rule and line, or per rule and claim.

export const COMPLIANCE_RULES = [
  'DATE_MISMATCH',
  'LATE_SIGNATURE',
  'DOCUMENTED_AFTER_SUBMISSION',
  'UNDOCUMENTED_CODE',
  'UNSIGNED_DOCUMENTATION',
  'HIGH_DOLLAR_UNDOCUMENTED',
  'LINKAGE_MISMATCH',
] as const satisfies readonly ComplianceRuleId[];
export type ComplianceRule = (typeof COMPLIANCE_RULES)[number];
export type ComplianceSeverity = ScrubSeverity;

/**
 * Signed more than this many calendar days after the date of service is late (compliance-findings.ts).
 * reports.compliance_finding keeps as candidates the claims signed a UTC day or more after the date of
 * service, which every threshold of a day or more needs (a practice's day is within a day of UTC's).
 */
export const LATE_SIGNATURE_DAYS = DEFAULT_LATE_SIGNATURE_DAYS;
if (LATE_SIGNATURE_DAYS < 1) throw new RangeError('The compliance report needs a late-signature threshold of a day or more');
/** A line charged at least this (cents) is high-dollar: the claim scrubber's threshold. */
export const HIGH_DOLLAR_THRESHOLD_CENTS = DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS;

/** What each rule finds, as the report states it (no codes, no patient data). */
export const COMPLIANCE_RULE_DEFINITIONS: Readonly<Record<ComplianceRule, string>> = {
  DATE_MISMATCH: "A claim line's date of service differs from the encounter's, whose documentation is signed.",
  LATE_SIGNATURE: `The encounter's latest signature came more than ${LATE_SIGNATURE_DAYS} days after the date of service (practice-local day).`,
  DOCUMENTED_AFTER_SUBMISSION:
    "A note of the encounter was signed, or an addendum written, after the claim's (latest) submission; an error when a signature or a coding addendum came after it, a warning for other addenda.",
  UNDOCUMENTED_CODE:
    "A line bills a procedure the encounter's documentation no longer contains, or with another code or number of units than documented (per line); or a billed diagnosis is not documented (per claim).",
  UNSIGNED_DOCUMENTATION: 'The encounter has a claim but no clinical note, or a note that is not signed.',
  HIGH_DOLLAR_UNDOCUMENTED: `A line charged at least ${HIGH_DOLLAR_THRESHOLD_CENTS / 100} (the scrubber's high-dollar threshold) while the encounter's notes are not all signed or its procedure is not documented.`,
  LINKAGE_MISMATCH:
    'A line points at no diagnosis, or at diagnoses other than exactly those the EHR linked to the documented procedure it bills.',
};

export const COMPLIANCE_DEFINITION =
  "Claims not void whose encounter's date of service is in the period, each compared with the EHR's documentation as it is now; one finding per rule and claim line, or per rule and claim for the claim-wide rules; counts are findings and distinct claims.";

export interface ComplianceParams {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  readonly rule?: ComplianceRule;
  readonly timeZone: string;
}

export interface ComplianceFindingRow {
  readonly rule: ComplianceRule;
  readonly severity: ComplianceSeverity;
  readonly claim_id: string;
  readonly encounter_id: string;
  /** The line at fault; null for a claim-wide finding (0 inside the SQL, for a total order). */
  readonly line_number: number | null;
  readonly provider_id: string;
  readonly provider_name: string | null;
  readonly service_date: string;
  readonly submitted_at: Date | null;
}

/**
 * The findings as the CTE `finding(rule, severity, claim_id, encounter_id, line_number, provider_id,
 * service_date, submitted_at)`, from reports.compliance_finding: the reports migration derives each
 * claim's findings there (kept current by triggers on the claims and the documentation), with the
 * values this report's thresholds and the practice's day are applied to here.
 */
function findingsRelation(params: ComplianceParams): RawBuilder<unknown> {
  return sql`
    finding as (
      select f.rule, f.severity, f.claim_id, f.encounter_id, f.line_number, f.provider_id, f.service_date, f.submitted_at
      from reports.compliance_finding f
      where f.service_date between ${params.period.from}::date and ${params.period.to}::date ${claimFilters('f', params.filters)}
        ${params.rule ? sql`and f.rule = ${params.rule}` : sql``}
        and (f.rule <> 'LATE_SIGNATURE' or ${localDay(sql`f.last_signed_at`, params.timeZone)} - f.service_date > ${LATE_SIGNATURE_DAYS}::int)
        and (f.rule <> 'HIGH_DOLLAR_UNDOCUMENTED' or f.charge_cents >= ${HIGH_DOLLAR_THRESHOLD_CENTS}::bigint)
    )`;
}

export interface CompliancePage {
  readonly first: number;
  /** Keyset: the (date of service, claim id, rule, line number) of the previous page's last row. */
  readonly after?: readonly [serviceDate: string, claimId: string, rule: string, lineNumber: string];
}

/** A page of findings (`first + 1` rows), by date of service, claim, rule and line. Exported to be timed or explained on its own. */
export function complianceFindingsQuery(params: ComplianceParams, page: CompliancePage): RawBuilder<ComplianceFindingRow> {
  const after = page.after
    ? sql`where (f.service_date, f.claim_id, f.rule, f.line_number) > (${page.after[0]}::date, ${page.after[1]}::uuid, ${page.after[2]}::text, ${Number(page.after[3])}::int)`
    : sql``;
  return sql<ComplianceFindingRow>`
    with ${findingsRelation(params)}
    select f.rule, f.severity, f.claim_id, f.encounter_id, nullif(f.line_number, 0) as line_number, f.provider_id, ${providerName('pr')} as provider_name,
           f.service_date, f.submitted_at
    from finding f
    left join pms.provider pr on pr.id = f.provider_id
    ${after}
    order by f.service_date, f.claim_id, f.rule, f.line_number
    limit ${page.first + 1}`;
}

export interface ComplianceCountRow {
  readonly rule: ComplianceRule;
  /** Null on the per-rule totals. */
  readonly provider_id: string | null;
  readonly provider_name: string | null;
  readonly findings: number;
  readonly claims: number;
}

/** Findings and distinct claims by rule, and by rule and provider, in one statement. Exported to be timed or explained on its own. */
export function complianceCountsQuery(params: ComplianceParams): RawBuilder<ComplianceCountRow> {
  return sql<ComplianceCountRow>`
    with ${findingsRelation(params)},
    counted as (
      select rule, provider_id, count(*)::int as findings, count(distinct claim_id)::int as claims
      from finding
      group by grouping sets ((rule), (rule, provider_id))
    )
    select k.rule, k.provider_id, case when k.provider_id is null then null else ${providerName('pr')} end as provider_name, k.findings, k.claims
    from counted k
    left join pms.provider pr on pr.id = k.provider_id
    order by k.rule, k.provider_id nulls first`;
}

export interface ComplianceFinding {
  readonly rule: ComplianceRule;
  readonly severity: ComplianceSeverity;
  readonly claimId: string;
  readonly encounterId: string;
  readonly lineNumber: number | null;
  readonly providerId: string;
  readonly providerName: string | null;
  readonly serviceDate: string;
  /** The claim's latest submission; null while it was never submitted. */
  readonly submittedAt: Date | null;
  /** The rule's definition: no codes, no patient data. */
  readonly message: string;
}

export interface ComplianceCount {
  readonly rule: ComplianceRule;
  readonly providerId: string | null;
  readonly providerName: string | null;
  readonly findings: number;
  readonly claims: number;
}

export interface ComplianceSummary {
  readonly period: ReportPeriod;
  readonly filters: ReportFilters;
  readonly rule: ComplianceRule | null;
  /** Every rule asked for, with 0 when nothing was found. */
  readonly byRule: readonly ComplianceCount[];
  readonly byProvider: readonly ComplianceCount[];
  readonly definition: string;
}

/** Findings counted by rule and by rule and provider. */
export async function complianceSummary(db: Kysely<ReportsDatabase>, params: ComplianceParams): Promise<ComplianceSummary> {
  const { rows } = await complianceCountsQuery(params).execute(db);
  const toCount = (r: ComplianceCountRow): ComplianceCount => ({
    rule: r.rule,
    providerId: r.provider_id,
    providerName: r.provider_name,
    findings: r.findings,
    claims: r.claims,
  });
  const rules = params.rule ? [params.rule] : COMPLIANCE_RULES;
  return {
    period: params.period,
    filters: params.filters,
    rule: params.rule ?? null,
    byRule: rules.map((rule) => {
      const row = rows.find((r) => r.rule === rule && r.provider_id === null);
      return row ? toCount(row) : { rule, providerId: null, providerName: null, findings: 0, claims: 0 };
    }),
    byProvider: rows.filter((r) => r.provider_id !== null).map(toCount),
    definition: COMPLIANCE_DEFINITION,
  };
}

/** A page of findings (`first + 1` fetched), each with its rule's severity and definition. */
export async function complianceFindings(
  db: Kysely<ReportsDatabase>,
  params: ComplianceParams,
  page: CompliancePage,
): Promise<ComplianceFinding[]> {
  const { rows } = await complianceFindingsQuery(params, page).execute(db);
  return rows.map((r) => ({
    rule: r.rule,
    severity: r.severity,
    claimId: r.claim_id,
    encounterId: r.encounter_id,
    lineNumber: r.line_number,
    providerId: r.provider_id,
    providerName: r.provider_name,
    serviceDate: r.service_date,
    submittedAt: r.submitted_at,
    message: COMPLIANCE_RULE_DEFINITIONS[r.rule],
  }));
}

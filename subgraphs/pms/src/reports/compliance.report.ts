import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ReportsDatabase } from './report-database.js';
import type { ReportFilters, ReportPeriod } from './report-params.js';
import { DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS, type ScrubSeverity } from '../rules/claim-scrubber.js';
import { DEFAULT_LATE_SIGNATURE_DAYS, type ComplianceRuleId } from '../rules/compliance-findings.js';
import { claimFilters, localDay, providerName } from './report-sql.js';

// The compliance report (DOMAIN.md, "Compliance rules that matter to payers and auditors") over the
// claims of a period, in SQL across the billing (pms) and documentation (ehr) facts. The rule ids,
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

/** Signed more than this many calendar days after the date of service is late (compliance-findings.ts). */
export const LATE_SIGNATURE_DAYS = DEFAULT_LATE_SIGNATURE_DAYS;
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
  LINKAGE_MISMATCH: 'A line points at no diagnosis, or at diagnoses other than exactly those the EHR linked to the documented procedure it bills.',
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

/** The findings as the CTEs `scope`, `hit` and `finding(rule, severity, claim_id, encounter_id, line_number, provider_id, service_date, submitted_at)`. */
function findingsRelation(params: ComplianceParams): RawBuilder<unknown> {
  const tz = params.timeZone;
  // The encounter's documentation is signed: it has a note and every note is signed.
  const signed = sql`(exists (select 1 from ehr.clinical_note n where n.encounter_id = sc.encounter_id)
    and not exists (select 1 from ehr.clinical_note n where n.encounter_id = sc.encounter_id and n.status <> 'signed'))`;
  const rules: Record<ComplianceRule, RawBuilder<unknown>> = {
    DATE_MISMATCH: sql`
      select 'DATE_MISMATCH', 'error', sc.claim_id, cl.line_number::int
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
      where cl.service_date <> sc.service_date
        and exists (select 1 from ehr.clinical_note n where n.encounter_id = sc.encounter_id and n.status = 'signed')`,
    LATE_SIGNATURE: sql`
      select 'LATE_SIGNATURE', 'warning', sc.claim_id, 0
      from scope sc
      where (select max(${localDay(sql`n.signed_at`, tz)}) from ehr.clinical_note n where n.encounter_id = sc.encounter_id) - sc.service_date > ${LATE_SIGNATURE_DAYS}`,
    DOCUMENTED_AFTER_SUBMISSION: sql`
      select 'DOCUMENTED_AFTER_SUBMISSION', case when late.signed or late.coding then 'error' else 'warning' end, sc.claim_id, 0
      from scope sc
      cross join lateral (
        select exists (select 1 from ehr.clinical_note n where n.encounter_id = sc.encounter_id and n.signed_at > sc.submitted_at) as signed,
               exists (select 1 from ehr.note_addendum a join ehr.clinical_note n on n.id = a.note_id
                       where n.encounter_id = sc.encounter_id and a.created_at > sc.submitted_at and a.changes_coding) as coding,
               exists (select 1 from ehr.note_addendum a join ehr.clinical_note n on n.id = a.note_id
                       where n.encounter_id = sc.encounter_id and a.created_at > sc.submitted_at) as addendum
      ) late
      where sc.submitted_at is not null and (late.signed or late.addendum)`,
    UNDOCUMENTED_CODE: sql`
      select 'UNDOCUMENTED_CODE', 'error', sc.claim_id, cl.line_number::int
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
      where not exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id and p.code = cl.procedure_code and p.units = cl.units)
      union all
      select 'UNDOCUMENTED_CODE', 'error', sc.claim_id, 0
      from scope sc
      where exists (select 1 from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id
                    and not exists (select 1 from ehr.diagnosis d where d.encounter_id = sc.encounter_id and d.code = cd.code))`,
    UNSIGNED_DOCUMENTATION: sql`
      select 'UNSIGNED_DOCUMENTATION', 'error', sc.claim_id, 0
      from scope sc
      where not ${signed}`,
    HIGH_DOLLAR_UNDOCUMENTED: sql`
      select 'HIGH_DOLLAR_UNDOCUMENTED', 'error', sc.claim_id, cl.line_number::int
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
      where cl.charge_cents >= ${HIGH_DOLLAR_THRESHOLD_CENTS}
        and not (${signed} and exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id))`,
    LINKAGE_MISMATCH: sql`
      select 'LINKAGE_MISMATCH', 'error', sc.claim_id, cl.line_number::int
      from scope sc join pms.claim_line cl on cl.claim_id = sc.claim_id
      where cardinality(cl.pointers) = 0
         or (exists (select 1 from ehr.procedure p where p.id = cl.procedure_id and p.encounter_id = sc.encounter_id)
             and (exists (select 1 from unnest(cl.pointers) as ptr(position)
                          where not exists (select 1 from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id and cd.position = ptr.position))
                  or array(select cd.code from pms.claim_diagnosis cd where cd.claim_id = sc.claim_id and cd.position = any (cl.pointers) order by cd.code)
                     is distinct from
                     array(select d.code from ehr.procedure_diagnosis pd join ehr.diagnosis d on d.id = pd.diagnosis_id where pd.procedure_id = cl.procedure_id order by d.code)))`,
  };
  const chosen = params.rule ? [rules[params.rule]] : COMPLIANCE_RULES.map((r) => rules[r]);
  return sql`
    scope as (
      select c.id as claim_id, c.encounter_id, c.provider_id, e.service_date, c.submitted_at
      from pms.encounter e
      join pms.claim c on c.encounter_id = e.id
      where e.service_date between ${params.period.from}::date and ${params.period.to}::date
        and c.status <> 'void' ${claimFilters('c', params.filters)}
    ),
    hit (rule, severity, claim_id, line_number) as (${sql.join(chosen, sql` union all `)}),
    finding as (
      select hit.rule, hit.severity, hit.claim_id, sc.encounter_id, hit.line_number, sc.provider_id, sc.service_date, sc.submitted_at
      from hit join scope sc on sc.claim_id = hit.claim_id
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
  const toCount = (r: ComplianceCountRow): ComplianceCount => ({ rule: r.rule, providerId: r.provider_id, providerName: r.provider_name, findings: r.findings, claims: r.claims });
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
export async function complianceFindings(db: Kysely<ReportsDatabase>, params: ComplianceParams, page: CompliancePage): Promise<ComplianceFinding[]> {
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

import { formatCents } from '@chartbridge/kit';
import type { ArAgingReport } from './ar-aging.report.js';
import type { ClaimDrillFilter, DrillClaim } from './claim-drill.report.js';
import { CLAIM_DRILL_DEFINITION } from './claim-drill.report.js';
import type { ComplianceFinding, ComplianceSummary } from './compliance.report.js';
import { COMPLIANCE_DEFINITION } from './compliance.report.js';
import type { DenialGroup, DenialsReport } from './denials.report.js';
import { KPI_NAMES, type KpiReport, type KpiTrend, type KpiValue } from './kpi.report.js';
import type { PayerMixReport } from './payer-mix.report.js';
import type { ProviderProductivityReport } from './provider-productivity.report.js';
import type { ReportFilters, ReportPeriod } from './report-params.js';

// Reports as CSV (RFC 4180): a header row, CRLF line ends, a field quoted when it holds a comma, a
// quote or a line break. Every row starts with the report's own statement (its name, period or day,
// filters) and ends with the definition it was computed by, so a sheet filtered or pivoted on any
// column still says what it is. Amounts are decimal strings in dollars, rates decimal fractions.

export type CsvCell = string | number | null | undefined;

// A text cell a spreadsheet would read as a formula (OWASP, "CSV Injection"): kept as text with a
// leading apostrophe. Numbers, negative ones included, are left alone.
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  let text = typeof cell === 'number' ? String(cell) : cell;
  if (typeof cell === 'string' && FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: the header, then each row, every line ended by CRLF. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [header, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}

const STATEMENT = ['report', 'from', 'to', 'as_of', 'filter_payer_id', 'filter_provider_id', 'filter_location_id'] as const;

function statement(report: string, period: ReportPeriod | null, asOf: string | null, filters: ReportFilters): CsvCell[] {
  return [report, period?.from, period?.to, asOf, filters.payerId, filters.providerId, filters.locationId];
}

const money = (cents: number): string => formatCents(cents);
const KPI_COLUMNS = [
  'kpi',
  'value',
  'unit',
  'numerator',
  'numerator_quantity',
  'denominator',
  'denominator_quantity',
  'multiplier',
  'definition',
];
const kpiCells = (v: KpiValue): CsvCell[] => [
  v.kpi,
  v.value,
  v.unit,
  v.numerator,
  v.numeratorQuantity,
  v.denominator,
  v.denominatorQuantity,
  v.multiplier,
  v.definition,
];

export function kpisCsv(report: KpiReport): string {
  return toCsv(
    [...STATEMENT, ...KPI_COLUMNS],
    KPI_NAMES.map((name) => [...statement('kpis', report.period, report.period.to, report.filters), ...kpiCells(report.kpis[name])]),
  );
}

export function kpiTrendCsv(trend: KpiTrend): string {
  return toCsv(
    [...STATEMENT, 'interval', 'period_from', 'period_to', ...KPI_COLUMNS],
    trend.points.map((p) => [
      ...statement('trend', trend.period, null, trend.filters),
      trend.interval.toUpperCase(),
      p.period.from,
      p.period.to,
      ...kpiCells(p.value),
    ]),
  );
}

export function arAgingCsv(report: ArAgingReport): string {
  return toCsv(
    [...STATEMENT, 'group_by', 'group_id', 'group_name', 'bucket', 'min_days', 'max_days', 'amount', 'claim_count', 'definition'],
    report.groups.flatMap((g) =>
      g.buckets.map((b) => [
        ...statement('ar-aging', null, report.asOf, report.filters),
        report.groupBy.toUpperCase(),
        g.id,
        g.name,
        b.bucket,
        b.minDays,
        b.maxDays,
        money(b.amountCents),
        b.claimCount,
        report.definition,
      ]),
    ),
  );
}

export function denialsCsv(report: DenialsReport): string {
  const row = (
    dimension: string,
    g: Pick<
      DenialGroup,
      'payerId' | 'payerName' | 'groupCode' | 'reasonCode' | 'procedureCode' | 'deniedLines' | 'deniedClaims' | 'amountCents'
    >,
  ): CsvCell[] => [
    ...statement('denials', report.period, report.period.to, report.filters),
    dimension,
    g.payerId,
    g.payerName,
    g.groupCode,
    g.reasonCode,
    g.procedureCode,
    g.deniedLines,
    g.deniedClaims,
    money(g.amountCents),
    report.definition,
  ];
  const none = { payerId: null, payerName: null, groupCode: null, reasonCode: null, procedureCode: null };
  return toCsv(
    [
      ...STATEMENT,
      'dimension',
      'payer_id',
      'payer_name',
      'group_code',
      'reason_code',
      'procedure_code',
      'denied_lines',
      'denied_claims',
      'amount',
      'definition',
    ],
    [
      row('TOTAL', { ...none, ...report.total }),
      ...[...report.byReason, ...report.byPayer, ...report.byProcedure].map((g) => row(g.dimension, g)),
    ],
  );
}

export function payerMixCsv(report: PayerMixReport): string {
  return toCsv(
    [...STATEMENT, 'payer_id', 'payer_name', 'charges', 'charge_share', 'claim_count', 'encounter_count', 'encounter_share', 'definition'],
    report.payers.map((p) => [
      ...statement('payer-mix', report.period, null, report.filters),
      p.payerId,
      p.payerName,
      money(p.chargesCents),
      p.chargeShare,
      p.claimCount,
      p.encounterCount,
      p.encounterShare,
      report.definition,
    ]),
  );
}

export function providerProductivityCsv(report: ProviderProductivityReport): string {
  return toCsv(
    [
      ...STATEMENT,
      'provider_id',
      'provider_name',
      'month',
      'month_from',
      'month_to',
      'encounters',
      'procedures',
      'units',
      'charges',
      'payments',
      'definition',
    ],
    report.rows.map((r) => [
      ...statement('provider-productivity', report.period, null, report.filters),
      r.providerId,
      r.providerName,
      r.month,
      r.period.from,
      r.period.to,
      r.encounters,
      r.procedures,
      r.units,
      money(r.chargesCents),
      money(r.paymentsCents),
      report.definition,
    ]),
  );
}

export function complianceSummaryCsv(summary: ComplianceSummary): string {
  return toCsv(
    [...STATEMENT, 'rule', 'provider_id', 'provider_name', 'findings', 'claims', 'definition'],
    [...summary.byRule, ...summary.byProvider].map((c) => [
      ...statement('compliance-summary', summary.period, null, summary.filters),
      c.rule,
      c.providerId,
      c.providerName,
      c.findings,
      c.claims,
      summary.definition,
    ]),
  );
}

export function complianceFindingsCsv(period: ReportPeriod, filters: ReportFilters, findings: readonly ComplianceFinding[]): string {
  return toCsv(
    [
      ...STATEMENT,
      'rule',
      'severity',
      'claim_id',
      'encounter_id',
      'line_number',
      'provider_id',
      'provider_name',
      'service_date',
      'submitted_at',
      'message',
      'definition',
    ],
    findings.map((f) => [
      ...statement('compliance', period, null, filters),
      f.rule,
      f.severity,
      f.claimId,
      f.encounterId,
      f.lineNumber,
      f.providerId,
      f.providerName,
      f.serviceDate,
      f.submittedAt?.toISOString(),
      f.message,
      COMPLIANCE_DEFINITION,
    ]),
  );
}

/** Drill-down rows: the patient only as the pseudonymous key, never the id. */
export function claimsCsv(
  filter: Pick<ClaimDrillFilter, 'asOf' | 'payerId' | 'providerId' | 'locationId' | 'servicePeriod'>,
  claims: readonly DrillClaim[],
): string {
  const filters = { payerId: filter.payerId ?? undefined, providerId: filter.providerId, locationId: filter.locationId ?? undefined };
  return toCsv(
    [
      ...STATEMENT,
      'claim_id',
      'status',
      'patient_key',
      'service_date',
      'created_at',
      'first_submitted_at',
      'first_adjudicated_on',
      'payer_id',
      'payer_name',
      'provider_id',
      'provider_name',
      'location_id',
      'location_name',
      'charge',
      'payer_paid',
      'adjusted',
      'patient_paid',
      'balance',
      'age_days',
      'definition',
    ],
    claims.map((c) => [
      ...statement('claims', filter.servicePeriod ?? null, filter.asOf, filters),
      c.claimId,
      c.status.toUpperCase(),
      c.patientKey,
      c.serviceDate,
      c.createdAt.toISOString(),
      c.firstSubmittedAt?.toISOString(),
      c.firstAdjudicatedOn,
      c.payerId,
      c.payerName,
      c.providerId,
      c.providerName,
      c.locationId,
      c.locationName,
      money(c.chargeCents),
      money(c.payerPaidCents),
      money(c.adjustedCents),
      money(c.patientPaidCents),
      money(c.balanceCents),
      c.ageDays,
      CLAIM_DRILL_DEFINITION,
    ]),
  );
}

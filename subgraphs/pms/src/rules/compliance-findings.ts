import type { ClaimStatus } from '@chartbridge/db';
import { isIsoDate, parseDateTime } from '@chartbridge/kit';
import { DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS, type ScrubSeverity } from './claim-scrubber.js';

// Compliance findings (docs/PRACTICE-DOMAIN.md, "Compliance rules that matter to payers and auditors"): the
// encounter's live claims compared with the EHR's documentation as it stands now, not with the
// snapshot the claim was built from (that is the scrubber's job). A claim past draft is never
// rebuilt, so an addendum that changes the coding after billing leaves the claim behind the chart;
// these rules say where. Pure: no database, no clock. Messages carry rule facts, codes, counts and
// line numbers, never a patient's name or the notes' text.

export type ComplianceRuleId =
  | 'DATE_MISMATCH'
  | 'LATE_SIGNATURE'
  | 'DOCUMENTED_AFTER_SUBMISSION'
  | 'UNDOCUMENTED_CODE'
  | 'UNSIGNED_DOCUMENTATION'
  | 'HIGH_DOLLAR_UNDOCUMENTED'
  | 'LINKAGE_MISMATCH';

export interface ComplianceFinding {
  readonly rule: ComplianceRuleId;
  readonly severity: ScrubSeverity;
  readonly message: string;
  readonly claimId: string;
  /** The line at fault; null for the whole claim. */
  readonly lineNumber: number | null;
}

/** A documented procedure as the EHR has it now. */
export interface DocumentedProcedure {
  readonly id: string;
  readonly code: string;
  readonly units: number;
  /** The ICD-10-CM codes the EHR links to it, in pointer order. */
  readonly diagnosisCodes: readonly string[];
}

/** The EHR's documentation of the encounter as it stands now (`Encounter.documentation`). */
export interface CurrentDocumentation {
  readonly noteCount: number;
  readonly signedNoteCount: number;
  /** The latest signature of the encounter's notes; null while none is signed. */
  readonly lastSignedAt: Date | null;
  /** The date of service the documentation was signed for; null before the first signature. */
  readonly serviceDate: string | null;
  readonly addenda: ReadonlyArray<{ readonly createdAt: Date; readonly changesCoding: boolean }>;
  readonly diagnosisCodes: readonly string[];
  readonly procedures: readonly DocumentedProcedure[];
}

export interface ComplianceLine {
  readonly lineNumber: number;
  /** The EHR procedure the line bills. */
  readonly procedureId: string;
  readonly procedureCode: string;
  readonly units: number;
  readonly chargeCents: number;
  readonly serviceDate: string;
  /** Positions in the claim's diagnosis list, in pointer order. */
  readonly pointers: readonly number[];
}

export interface ComplianceClaim {
  readonly id: string;
  readonly status: ClaimStatus;
  /** When the payer last received the claim; null while it was never submitted. */
  readonly submittedAt: Date | null;
  readonly lines: readonly ComplianceLine[];
  readonly diagnoses: ReadonlyArray<{ readonly position: number; readonly code: string }>;
}

export interface ComplianceOptions {
  /**
   * Documentation signed more than this many calendar days after the date of service is late.
   * Default 3 ({@link DEFAULT_LATE_SIGNATURE_DAYS}).
   */
  readonly lateSignatureDays: number;
  /** Lines charged at least this much (cents) need signed documentation of their procedure. Default the scrubber's. */
  readonly highDollarThresholdCents: number;
  /** The practice's IANA time zone: the calendar day a signature fell on. Default UTC. */
  readonly timeZone: string;
}

/**
 * Medicare asks for documentation to be authenticated "timely" without a number of days; practices'
 * compliance policies commonly allow 48 to 72 hours after the visit. Three calendar days is the
 * default here: a note signed on the third day after the visit is on time, on the fourth it is late.
 */
export const DEFAULT_LATE_SIGNATURE_DAYS = 3;

export const DEFAULT_COMPLIANCE_OPTIONS: ComplianceOptions = {
  lateSignatureDays: DEFAULT_LATE_SIGNATURE_DAYS,
  highDollarThresholdCents: DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
  timeZone: 'UTC',
};

interface RuleContext {
  readonly claim: ComplianceClaim;
  readonly documentation: CurrentDocumentation;
  readonly options: ComplianceOptions;
  /** The claim's diagnosis code at each pointer position. */
  readonly diagnosisAt: ReadonlyMap<number, string>;
  readonly procedures: ReadonlyMap<string, DocumentedProcedure>;
}

export interface ComplianceRule {
  readonly id: ComplianceRuleId;
  check(context: RuleContext): ComplianceFinding[];
}

type FindingMaker = (severity: ScrubSeverity, message: string, lineNumber?: number | null) => ComplianceFinding;

function rule(id: ComplianceRuleId, findings: (context: RuleContext, finding: FindingMaker) => ComplianceFinding[]): ComplianceRule {
  return {
    id,
    check: (context) =>
      findings(context, (severity, message, lineNumber = null) => ({ rule: id, severity, message, claimId: context.claim.id, lineNumber })),
  };
}

const isSigned = (d: CurrentDocumentation): boolean => d.noteCount > 0 && d.signedNoteCount === d.noteCount;

/** The calendar day (`YYYY-MM-DD`) an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whole calendar days from one `YYYY-MM-DD` date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const sameCodes = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((code) => b.includes(code)) && b.every((code) => a.includes(code));

export const COMPLIANCE_RULES: readonly ComplianceRule[] = [
  rule('UNSIGNED_DOCUMENTATION', ({ documentation: d }, f) => {
    if (d.noteCount === 0) return [f('error', 'The encounter has a claim but no clinical note')];
    const unsigned = d.noteCount - d.signedNoteCount;
    return unsigned > 0
      ? [f('error', `The encounter has a claim while ${unsigned} of its ${plural(d.noteCount, 'note is', 'notes are')} unsigned`)]
      : [];
  }),
  rule('DATE_MISMATCH', ({ claim, documentation: d }, f) => {
    const documented = d.serviceDate;
    if (documented === null) return [];
    return claim.lines
      .filter((l) => l.serviceDate !== documented)
      .map((l) => f('error', `The line's date of service ${l.serviceDate} is not the documented ${documented}`, l.lineNumber));
  }),
  rule('LATE_SIGNATURE', ({ claim, documentation: d, options }, f) => {
    const serviceDate = d.serviceDate ?? claim.lines.map((l) => l.serviceDate).sort()[0] ?? null;
    if (d.lastSignedAt === null || serviceDate === null) return [];
    const days = daysBetween(serviceDate, localDate(d.lastSignedAt, options.timeZone));
    return days > options.lateSignatureDays
      ? [
          f(
            'warning',
            `The documentation was signed ${plural(days, 'day', 'days')} after the date of service (at most ${options.lateSignatureDays} allowed)`,
          ),
        ]
      : [];
  }),
  rule('DOCUMENTED_AFTER_SUBMISSION', ({ claim, documentation: d }, f) => {
    const submitted = claim.submittedAt;
    if (submitted === null) return [];
    const after = (at: Date) => at.getTime() > submitted.getTime();
    const findings: ComplianceFinding[] = [];
    if (d.lastSignedAt !== null && after(d.lastSignedAt))
      findings.push(f('error', 'A note of the encounter was signed after the claim was submitted'));
    const late = d.addenda.filter((a) => after(a.createdAt));
    const coding = late.filter((a) => a.changesCoding).length;
    if (coding > 0)
      findings.push(
        f(
          'error',
          `${plural(coding, 'addendum', 'addenda')} changed the coding after the claim was submitted: correct or void and rebill it`,
        ),
      );
    if (late.length > coding)
      findings.push(f('warning', `${plural(late.length - coding, 'addendum was', 'addenda were')} written after the claim was submitted`));
    return findings;
  }),
  rule('UNDOCUMENTED_CODE', ({ claim, documentation: d, procedures }, f) => {
    const lines = claim.lines.flatMap((l) => {
      const documented = procedures.get(l.procedureId);
      if (!documented)
        return [f('error', `The line bills ${l.procedureCode} for a procedure the documentation no longer contains`, l.lineNumber)];
      const problems: ComplianceFinding[] = [];
      if (documented.code !== l.procedureCode)
        problems.push(f('error', `The line bills ${l.procedureCode}; its procedure is now documented as ${documented.code}`, l.lineNumber));
      if (documented.units !== l.units)
        problems.push(
          f(
            'error',
            `The line bills ${plural(l.units, 'unit', 'units')} of ${l.procedureCode}; the documentation has ${documented.units}`,
            l.lineNumber,
          ),
        );
      return problems;
    });
    const documentedDiagnoses = new Set(d.diagnosisCodes);
    const diagnoses = claim.diagnoses
      .filter((dx) => !documentedDiagnoses.has(dx.code))
      .map((dx) => f('error', `Diagnosis ${dx.code} (position ${dx.position}) is billed but no longer documented`));
    return [...lines, ...diagnoses];
  }),
  rule('HIGH_DOLLAR_UNDOCUMENTED', ({ claim, documentation: d, options, procedures }, f) =>
    claim.lines
      .filter((l) => l.chargeCents >= options.highDollarThresholdCents && !(isSigned(d) && procedures.has(l.procedureId)))
      .map((l) =>
        f(
          'error',
          `A charge of ${(l.chargeCents / 100).toFixed(2)} (threshold ${(options.highDollarThresholdCents / 100).toFixed(2)}) is not backed by signed documentation of its procedure`,
          l.lineNumber,
        ),
      ),
  ),
  rule('LINKAGE_MISMATCH', ({ claim, diagnosisAt, procedures }, f) =>
    claim.lines.flatMap((l) => {
      if (l.pointers.length === 0) return [f('error', 'The line points at no diagnosis', l.lineNumber)];
      const documented = procedures.get(l.procedureId);
      // A line whose procedure is gone is UNDOCUMENTED_CODE's finding; there is no linkage to compare.
      if (!documented) return [];
      const pointed = l.pointers.map((p) => diagnosisAt.get(p) ?? `pointer ${p}`);
      if (sameCodes(pointed, documented.diagnosisCodes)) return [];
      const linked = documented.diagnosisCodes.length ? documented.diagnosisCodes.join(', ') : 'none';
      return [f('error', `The line points at ${pointed.join(', ')}; the documentation links its procedure to ${linked}`, l.lineNumber)];
    }),
  ),
];

/**
 * Every finding for the encounter's live claims (void ones are left out) against its current
 * documentation: claims in the order given, then rules in {@link COMPLIANCE_RULES} order.
 */
export function complianceFindings(
  claims: readonly ComplianceClaim[],
  documentation: CurrentDocumentation,
  options: Partial<ComplianceOptions> = {},
  rules: readonly ComplianceRule[] = COMPLIANCE_RULES,
): ComplianceFinding[] {
  const settled: ComplianceOptions = { ...DEFAULT_COMPLIANCE_OPTIONS, ...options };
  const procedures = new Map(documentation.procedures.map((p) => [p.id, p]));
  return claims
    .filter((claim) => claim.status !== 'void')
    .flatMap((claim) => {
      const context: RuleContext = {
        claim,
        documentation,
        options: settled,
        procedures,
        diagnosisAt: new Map(claim.diagnoses.map((d) => [d.position, d.code])),
      };
      return rules.flatMap((r) => r.check(context));
    });
}

// Reading the representation: the gateway fetched `Encounter.documentation` from the EHR and sent
// it beside the encounter's key. It is checked field by field; anything malformed makes it unusable.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

class Malformed extends Error {}

function instant(v: unknown): Date {
  const parsed = typeof v === 'string' ? parseDateTime(v) : undefined;
  if (!parsed) throw new Malformed();
  return parsed;
}

function orNull<T>(v: unknown, read: (v: unknown) => T): T | null {
  return v === null || v === undefined ? null : read(v);
}

function list<T>(v: unknown, read: (item: Json) => T): T[] {
  if (!Array.isArray(v)) throw new Malformed();
  return v.map((item) => {
    if (!isObject(item)) throw new Malformed();
    return read(item);
  });
}

/**
 * Reads `Encounter.documentation` as the gateway sent it (DateTime as RFC 3339 text, Date as
 * `YYYY-MM-DD`); null when it is missing or malformed (the EHR refused it or could not answer).
 */
export function documentationFromRepresentation(value: unknown): CurrentDocumentation | null {
  if (!isObject(value)) return null;
  try {
    const { noteCount, signedNoteCount, diagnosisCodes } = value;
    if (!isCount(noteCount) || !isCount(signedNoteCount) || signedNoteCount > noteCount || !isStringList(diagnosisCodes)) return null;
    const serviceDate = orNull(value['serviceDate'], (v) => {
      if (typeof v !== 'string' || !isIsoDate(v)) throw new Malformed();
      return v;
    });
    return {
      noteCount,
      signedNoteCount,
      lastSignedAt: orNull(value['lastSignedAt'], instant),
      serviceDate,
      addenda: list(value['addenda'], (a) => {
        if (typeof a['changesCoding'] !== 'boolean') throw new Malformed();
        return { createdAt: instant(a['createdAt']), changesCoding: a['changesCoding'] };
      }),
      diagnosisCodes,
      procedures: list(value['procedures'], (p) => {
        const { id, code, units, diagnosisCodes: linked } = p;
        if (typeof id !== 'string' || typeof code !== 'string' || !isCount(units) || !isStringList(linked)) throw new Malformed();
        return { id: id.toLowerCase(), code, units, diagnosisCodes: linked };
      }),
    };
  } catch (error) {
    if (error instanceof Malformed) return null;
    throw error;
  }
}

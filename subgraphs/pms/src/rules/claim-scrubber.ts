import { isValidNpi } from '@chartbridge/db';
import { MAX_LINE_POINTERS } from './claim-lines.js';

// Claim scrubbing (docs/PRACTICE-DOMAIN.md, "Claim scrubbing"): pure rules over a claim and what it is checked
// against. No database, no clock. A finding of severity `error` keeps the claim from submission.

export type ScrubSeverity = 'error' | 'warning';

export interface Finding {
  readonly rule: string;
  readonly severity: ScrubSeverity;
  readonly message: string;
  /** The line at fault; null for the whole claim. */
  readonly lineNumber: number | null;
}

export interface ScrubLine {
  readonly lineNumber: number;
  readonly procedureId: string;
  readonly procedureCode: string;
  readonly codeSystem: 'cpt' | 'hcpcs';
  readonly modifiers: readonly string[];
  readonly units: number;
  readonly chargeCents: number;
  readonly serviceDate: string;
  readonly renderingProviderId: string;
  readonly pointers: readonly number[];
}

/** The claim's snapshot of the documented event (codes, ids, dates). */
export interface ScrubDocumentation {
  readonly serviceDate: string | null;
  readonly signedAt: string | null;
  readonly diagnosisCodes: readonly string[];
  readonly procedures: ReadonlyArray<{ readonly id: string; readonly code: string }>;
}

export interface ScrubInput {
  readonly claim: { readonly id: string; readonly status: string };
  readonly lines: readonly ScrubLine[];
  readonly diagnoses: ReadonlyArray<{ readonly position: number; readonly code: string }>;
  /** The patient's coverages; `effectiveTo` inclusive, null while open-ended. */
  readonly coverages: ReadonlyArray<{ readonly effectiveFrom: string; readonly effectiveTo: string | null }>;
  /** Rendering provider id to NPI (a provider missing here is unknown). */
  readonly providerNpis: ReadonlyMap<string, string>;
  /** Null when the claim has no usable snapshot. */
  readonly documentation: ScrubDocumentation | null;
  /** Lines charged at least this much (cents) need signed documentation of their procedure. */
  readonly highDollarThresholdCents: number;
}

export interface ScrubRule {
  readonly id: string;
  readonly severity: ScrubSeverity;
  check(input: ScrubInput): Finding[];
}

export const DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS = 100_000;

const ICD10CM = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const CPT = /^[0-9]{4}[0-9FTU]$/;
const HCPCS = /^[A-V][0-9]{4}$/;
const MODIFIER = /^[0-9A-Z]{2}$/;

export const isIcd10Cm = (code: string): boolean => ICD10CM.test(code);
export const isProcedureCode = (system: 'cpt' | 'hcpcs', code: string): boolean => (system === 'cpt' ? CPT : HCPCS).test(code);
export const isModifier = (code: string): boolean => MODIFIER.test(code);

function rule(
  id: string,
  severity: ScrubSeverity,
  findings: (input: ScrubInput, finding: (message: string, lineNumber?: number | null) => Finding) => Finding[],
): ScrubRule {
  return {
    id,
    severity,
    check: (input) => findings(input, (message, lineNumber = null) => ({ rule: id, severity, message, lineNumber })),
  };
}

/** The claim's date of service: its lines' earliest (they share one), else the documentation's. */
export function claimServiceDate(input: ScrubInput): string | null {
  const dates = input.lines.map((l) => l.serviceDate).sort();
  return dates[0] ?? input.documentation?.serviceDate ?? null;
}

export const SCRUB_RULES: readonly ScrubRule[] = [
  rule('PROCEDURE_CODE_FORMAT', 'error', (input, f) =>
    input.lines
      .filter((l) => !isProcedureCode(l.codeSystem, l.procedureCode))
      .map((l) => f(`${l.procedureCode} is not a valid ${l.codeSystem.toUpperCase()} code`, l.lineNumber)),
  ),
  rule('DIAGNOSIS_CODE_FORMAT', 'error', (input, f) =>
    input.diagnoses.filter((d) => !isIcd10Cm(d.code)).map((d) => f(`${d.code} (diagnosis ${d.position}) is not a valid ICD-10-CM code`)),
  ),
  rule('MODIFIER_FORMAT', 'error', (input, f) =>
    input.lines.flatMap((l) => l.modifiers.filter((m) => !isModifier(m)).map((m) => f(`${m} is not a valid modifier`, l.lineNumber))),
  ),
  rule('RENDERING_PROVIDER_NPI', 'error', (input, f) =>
    input.lines.flatMap((l) => {
      const npi = input.providerNpis.get(l.renderingProviderId);
      if (npi === undefined) return [f(`The rendering provider ${l.renderingProviderId} is not a provider of the practice`, l.lineNumber)];
      return isValidNpi(npi) ? [] : [f(`The rendering provider's NPI ${npi} fails its check digit`, l.lineNumber)];
    }),
  ),
  rule('COVERAGE_ACTIVE', 'error', (input, f) => {
    const date = claimServiceDate(input);
    if (date === null) return [f('The claim has no date of service')];
    const active = input.coverages.some((c) => c.effectiveFrom <= date && (c.effectiveTo === null || date <= c.effectiveTo));
    return active ? [] : [f(`The patient has no coverage in force on ${date}`)];
  }),
  rule('DIAGNOSIS_POINTERS', 'error', (input, f) => {
    const positions = new Set(input.diagnoses.map((d) => d.position));
    return input.lines.flatMap((l) => {
      if (l.pointers.length === 0) return [f('The line points at no diagnosis', l.lineNumber)];
      if (l.pointers.length > MAX_LINE_POINTERS)
        return [f(`The line points at ${l.pointers.length} diagnoses; at most ${MAX_LINE_POINTERS}`, l.lineNumber)];
      return l.pointers.filter((p) => !positions.has(p)).map((p) => f(`Pointer ${p} is not a diagnosis of the claim`, l.lineNumber));
    });
  }),
  rule('UNITS_POSITIVE', 'error', (input, f) =>
    input.lines.filter((l) => !(l.units > 0)).map((l) => f(`The line bills ${l.units} units`, l.lineNumber)),
  ),
  rule('CHARGE_POSITIVE', 'error', (input, f) =>
    input.lines.filter((l) => !(l.chargeCents > 0)).map((l) => f('The line has no charge', l.lineNumber)),
  ),
  rule('DOCUMENTATION_SIGNED', 'error', (input, f) =>
    input.documentation?.signedAt ? [] : [f('The claim is not backed by signed documentation')],
  ),
  rule('SERVICE_DATE_MATCHES_DOCUMENTATION', 'error', (input, f) => {
    const documented = input.documentation?.serviceDate ?? null;
    if (documented === null) return [f('The documentation has no date of service')];
    return input.lines
      .filter((l) => l.serviceDate !== documented)
      .map((l) => f(`The line's date of service ${l.serviceDate} is not the documented ${documented}`, l.lineNumber));
  }),
  rule('HIGH_DOLLAR_DOCUMENTATION', 'error', (input, f) =>
    input.lines
      .filter((l) => l.chargeCents >= input.highDollarThresholdCents)
      .filter((l) => !input.documentation?.signedAt || !input.documentation.procedures.some((p) => p.id === l.procedureId))
      .map((l) => f(`A charge of ${(l.chargeCents / 100).toFixed(2)} needs signed documentation of its procedure`, l.lineNumber)),
  ),
  rule('CODES_DOCUMENTED', 'error', (input, f) => {
    const documented = input.documentation;
    const procedures = new Set(documented?.procedures.map((p) => p.code) ?? []);
    const diagnoses = new Set(documented?.diagnosisCodes ?? []);
    return [
      ...input.lines
        .filter((l) => !procedures.has(l.procedureCode))
        .map((l) => f(`${l.procedureCode} is not in the documentation`, l.lineNumber)),
      ...input.diagnoses.filter((d) => !diagnoses.has(d.code)).map((d) => f(`${d.code} is not in the documentation`)),
    ];
  }),
];

/** Every finding of every rule, in rule order. */
export function scrubClaim(input: ScrubInput, rules: readonly ScrubRule[] = SCRUB_RULES): Finding[] {
  return rules.flatMap((r) => r.check(input));
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Reads a claim's stored snapshot (`{ eventId, occurredAt, facts }`) into what the scrubber needs; null when unusable. */
export function documentationOf(snapshot: unknown): ScrubDocumentation | null {
  const raw = typeof snapshot === 'string' ? safeParse(snapshot) : snapshot;
  if (typeof raw !== 'object' || raw === null) return null;
  const facts = (raw as { facts?: unknown }).facts;
  if (typeof facts !== 'object' || facts === null) return null;
  const f = facts as { serviceDate?: unknown; signedAt?: unknown; diagnoses?: unknown; procedures?: unknown };
  const list = (v: unknown): Array<Record<string, unknown>> =>
    Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null) : [];
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    serviceDate: str(f.serviceDate),
    signedAt: str(f.signedAt),
    diagnosisCodes: list(f.diagnoses)
      .map((d) => str(d['code']))
      .filter((c): c is string => c !== null),
    procedures: list(f.procedures).map((p) => ({ id: str(p['id']) ?? '', code: str(p['code']) ?? '' })),
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

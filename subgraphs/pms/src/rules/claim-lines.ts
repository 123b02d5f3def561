import type { ClaimCaptureIssue, ClaimCodeSystem } from '@chartbridge/db';

// Charge capture's pure rules: the claim's diagnosis list, each line's pointers into it, and its
// charge from the fee schedule. No database, no clock.

/** ASC X12 837P: a professional claim carries at most 12 diagnosis codes (HI segment)... */
export const MAX_CLAIM_DIAGNOSES = 12;
/** ...and each service line points at most at 4 of them (SV107). */
export const MAX_LINE_POINTERS = 4;

/** The documented facts a claim is built from (the `encounter.documented` event, version 1). */
export interface DocumentedCoding {
  readonly serviceDate: string;
  readonly diagnoses: ReadonlyArray<{ readonly id: string; readonly code: string; readonly description: string }>;
  readonly procedures: ReadonlyArray<{
    readonly id: string;
    readonly code: string;
    readonly codeSystem: ClaimCodeSystem;
    readonly display: string;
    readonly units: number;
    readonly modifiers: readonly string[];
    readonly performerId: string;
    /** The linked diagnoses in pointer order. */
    readonly diagnoses: ReadonlyArray<{ readonly id: string; readonly code: string; readonly position: number }>;
  }>;
}

export interface DraftDiagnosis {
  readonly position: number;
  readonly code: string;
  readonly description: string;
}

export interface DraftLine {
  readonly lineNumber: number;
  readonly procedureId: string;
  readonly procedureCode: string;
  readonly codeSystem: ClaimCodeSystem;
  readonly display: string;
  readonly units: number;
  readonly modifiers: readonly string[];
  readonly chargeCents: number;
  readonly serviceDate: string;
  readonly renderingProviderId: string;
  readonly pointers: readonly number[];
}

export interface ClaimDraft {
  readonly diagnoses: readonly DraftDiagnosis[];
  readonly lines: readonly DraftLine[];
  readonly totalChargeCents: number;
  readonly issues: readonly ClaimCaptureIssue[];
}

/** The fee schedule key of a code: `cpt:99213`. */
export function feeKey(codeSystem: ClaimCodeSystem, code: string): string {
  return `${codeSystem}:${code}`;
}

/** A line's charge: the scheduled fee times the units, in integer cents; no fee gives 0 (and the line is flagged). */
export function lineCharge(feeCents: number | undefined, units: number): number {
  return feeCents === undefined ? 0 : feeCents * units;
}

/**
 * The claim's diagnosis list in first-seen order: the diagnoses the lines point at, line by line in
 * pointer order, then the other documented diagnoses; each code once (codes are unique per
 * encounter). Returns all of them: the caller keeps the first {@link MAX_CLAIM_DIAGNOSES}.
 */
export function diagnosisOrder(coding: Pick<DocumentedCoding, 'diagnoses' | 'procedures'>): Array<{ code: string; description: string }> {
  const descriptions = new Map(coding.diagnoses.map((d) => [d.code, d.description]));
  const seen = new Map<string, { code: string; description: string }>();
  const see = (code: string) => {
    if (!seen.has(code)) seen.set(code, { code, description: descriptions.get(code) ?? '' });
  };
  for (const p of coding.procedures) for (const d of [...p.diagnoses].sort((a, b) => a.position - b.position)) see(d.code);
  for (const d of coding.diagnoses) see(d.code);
  return [...seen.values()];
}

/** A line's pointers: the positions of its linked diagnoses in the claim's list, in linkage order, at most 4. */
export function linePointers(
  linked: DocumentedCoding['procedures'][number]['diagnoses'],
  positions: ReadonlyMap<string, number>,
): number[] {
  return [...linked]
    .sort((a, b) => a.position - b.position)
    .map((d) => positions.get(d.code))
    .filter((p): p is number => p !== undefined)
    .slice(0, MAX_LINE_POINTERS);
}

/**
 * Builds a draft claim's content from the documented coding: one line per procedure in documented
 * order, charges from `fees` (keyed by {@link feeKey}, in force on the date of service). Problems
 * that a biller must settle are issues on the claim, never a refusal: a code without a fee (charge
 * 0), more than 12 diagnoses (the extra ones, and pointers to them, are left off), a rendering
 * provider the PMS does not know.
 */
export function buildClaimDraft(
  coding: DocumentedCoding,
  fees: ReadonlyMap<string, number>,
  knownProviders: ReadonlySet<string>,
): ClaimDraft {
  const ordered = diagnosisOrder(coding);
  const diagnoses = ordered.slice(0, MAX_CLAIM_DIAGNOSES).map((d, i) => ({ position: i + 1, code: d.code, description: d.description }));
  const positions = new Map(diagnoses.map((d) => [d.code, d.position]));
  const issues: ClaimCaptureIssue[] = [];
  if (ordered.length > MAX_CLAIM_DIAGNOSES) {
    const left = ordered.slice(MAX_CLAIM_DIAGNOSES).map((d) => d.code);
    issues.push({
      code: 'TOO_MANY_DIAGNOSES',
      message: `${ordered.length} diagnoses documented; a claim holds ${MAX_CLAIM_DIAGNOSES}: left off ${left.join(', ')}`,
      lineNumber: null,
    });
  }
  const lines = coding.procedures.map((p, i): DraftLine => {
    const lineNumber = i + 1;
    const fee = fees.get(feeKey(p.codeSystem, p.code));
    if (fee === undefined)
      issues.push({ code: 'NO_FEE', message: `No fee scheduled for ${p.code} on ${coding.serviceDate}; charged 0`, lineNumber });
    if (!knownProviders.has(p.performerId))
      issues.push({
        code: 'UNKNOWN_RENDERING_PROVIDER',
        message: `The performer ${p.performerId} is not a provider of the practice`,
        lineNumber,
      });
    return {
      lineNumber,
      procedureId: p.id,
      procedureCode: p.code,
      codeSystem: p.codeSystem,
      display: p.display,
      units: p.units,
      modifiers: p.modifiers,
      chargeCents: lineCharge(fee, p.units),
      serviceDate: coding.serviceDate,
      renderingProviderId: p.performerId,
      pointers: linePointers(p.diagnoses, positions),
    };
  });
  return { diagnoses, lines, totalChargeCents: lines.reduce((sum, l) => sum + l.chargeCents, 0), issues };
}

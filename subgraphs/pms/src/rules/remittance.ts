import type { AdjustmentGroup, ClaimStatus } from '@chartbridge/db';

// Payment posting and balances (docs/PRACTICE-DOMAIN.md, "Payment posting and A/R"). Pure: no database, no clock.
//
// A remittance (ASC X12 835) adjudicates each claim line: the payer's allowed amount, what it paid,
// and adjustments, each with a group code (CO contractual obligation, PR patient responsibility,
// OI other insurance, PI payer initiated) and a CARC reason code. A line balances when
// charge = paid + the sum of its adjustments, the 835's own balancing rule.
//
// Balances, in integer cents:
// - A line is denied when the payer paid nothing and adjusted something other than the patient's share.
// - A denial's adjustments are recorded but not applied: the denied amount stays open (in A/R, on the
//   denial work queue) until an appeal is paid or the claim is voided (written off).
// - On lines that are not denied, CO, OI and PI adjustments are applied (written off); PR moves the
//   amount to the patient, so it stays in the balance as the patient's share.
// - claim balance = charge - payer paid - applied adjustments - patient payments on the claim;
//   patient balance = PR - patient payments; insurance balance = the rest. A void claim owes nothing.
// - A payer's reversal negates earlier postings line for line (same denial flag), so the sums net out.

/** CARC codes that state the contract (not a refusal): charge over the fee schedule, sequestration. */
export const CONTRACTUAL_REASONS: ReadonlySet<string> = new Set(['45', '253']);

export interface AdjustmentInput {
  readonly group: AdjustmentGroup;
  readonly reason: string;
  readonly amountCents: number;
}

export interface RemittanceLineInput {
  readonly lineNumber: number;
  readonly allowedCents: number;
  readonly paidCents: number;
  readonly patientResponsibilityCents: number;
  readonly adjustments: readonly AdjustmentInput[];
}

export interface ClaimLineFacts {
  readonly lineNumber: number;
  readonly chargeCents: number;
  /** Paid by an earlier adjudication still in force: an appeal's remittance leaves it out. */
  readonly settled?: boolean;
}

/** A problem with a remittance's content, with the input path at fault (relative to the claim entry). */
export interface RemittanceProblem {
  readonly message: string;
  readonly path: string;
}

const CARC = /^[A-Z]?[0-9]{1,3}$/;

/** Whether a line adjudication is a denial: nothing paid, something adjusted that is not the patient's share. */
export function isDenied(line: Pick<RemittanceLineInput, 'paidCents' | 'adjustments'>): boolean {
  return line.paidCents === 0 && line.adjustments.some((a) => a.group !== 'PR');
}

/**
 * Checks one claim's entry in a remittance against the claim's lines: every line adjudicated once,
 * amounts not negative, adjustments with a known group and a CARC-shaped reason, patient
 * responsibility equal to the PR adjustments, and each line balanced (charge = paid + adjustments).
 * Returns the first problem, or null.
 */
export function remittanceProblem(claimLines: readonly ClaimLineFacts[], lines: readonly RemittanceLineInput[]): RemittanceProblem | null {
  if (lines.length === 0) return { message: 'A claim entry needs its lines', path: 'lines' };
  const byNumber = new Map(claimLines.map((l) => [l.lineNumber, l]));
  const seen = new Set<number>();
  for (const [i, line] of lines.entries()) {
    const at = `lines.${i}`;
    const claimLine = byNumber.get(line.lineNumber);
    if (!claimLine) return { message: `The claim has no line ${line.lineNumber}`, path: `${at}.lineNumber` };
    if (claimLine.settled)
      return {
        message: `Line ${line.lineNumber} was paid before the appeal: only the denied lines are adjudicated again`,
        path: `${at}.lineNumber`,
      };
    if (seen.has(line.lineNumber)) return { message: `Line ${line.lineNumber} is adjudicated twice`, path: `${at}.lineNumber` };
    seen.add(line.lineNumber);
    for (const field of ['allowedCents', 'paidCents', 'patientResponsibilityCents'] as const) {
      if (line[field] < 0) return { message: 'Amounts may not be negative', path: `${at}.${field.replace(/Cents$/, '')}` };
    }
    if (line.allowedCents > claimLine.chargeCents)
      return { message: `Line ${line.lineNumber}: allowed exceeds the charge`, path: `${at}.allowed` };
    if (line.paidCents > line.allowedCents) return { message: `Line ${line.lineNumber}: paid exceeds allowed`, path: `${at}.paid` };
    for (const [j, adj] of line.adjustments.entries()) {
      if (!CARC.test(adj.reason)) return { message: `"${adj.reason}" is not a CARC code`, path: `${at}.adjustments.${j}.reason` };
      if (adj.amountCents <= 0) return { message: 'An adjustment amount must be positive', path: `${at}.adjustments.${j}.amount` };
    }
    const pr = line.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
    if (pr !== line.patientResponsibilityCents) {
      return {
        message: `Line ${line.lineNumber}: patient responsibility must equal its PR adjustments`,
        path: `${at}.patientResponsibility`,
      };
    }
    const adjusted = line.adjustments.reduce((s, a) => s + a.amountCents, 0);
    if (line.paidCents + adjusted !== claimLine.chargeCents) {
      return {
        message: `Line ${line.lineNumber} does not balance: paid plus adjustments must equal the charge`,
        path: `${at}.adjustments`,
      };
    }
  }
  const missing = claimLines.filter((l) => !l.settled && !seen.has(l.lineNumber)).map((l) => l.lineNumber);
  if (missing.length > 0) return { message: `Every line of the claim must be adjudicated (missing ${missing.join(', ')})`, path: 'lines' };
  return null;
}

/**
 * The status a claim's adjudication gives it: every line denied, none denied, or some of each.
 * `settledLines` counts lines an earlier adjudication paid and this one leaves alone (an appeal's).
 */
export function adjudicatedStatus(
  lines: ReadonlyArray<Pick<RemittanceLineInput, 'paidCents' | 'adjustments'>>,
  settledLines = 0,
): Extract<ClaimStatus, 'paid' | 'partially_paid' | 'denied'> {
  const denied = lines.filter(isDenied).length;
  if (denied === 0) return 'paid';
  return denied === lines.length + settledLines ? 'denied' : 'partially_paid';
}

/**
 * The claim lines an appeal's remittance leaves alone: those whose latest posting in force (not a
 * reversal, not reversed) paid them. Postings in payment order.
 */
export function settledLineIds(postings: readonly Posting[]): Set<string> {
  const reversed = new Set(postings.flatMap((p) => (p.reversesLineId ? [p.reversesLineId] : [])));
  const latest = new Map<string, Posting>();
  for (const p of postings) if (p.reversesLineId === null && !reversed.has(p.id)) latest.set(p.claimLineId, p);
  return new Set([...latest.values()].filter((p) => !p.denied).map((p) => p.claimLineId));
}

/** The statuses a claim passes through to take a remittance: submitted claims are accepted first. */
export function remittancePath(from: ClaimStatus, to: ClaimStatus): readonly ClaimStatus[] {
  return from === 'submitted' ? ['accepted', to] : [to];
}

export interface PostedLine {
  readonly paidCents: number;
  readonly denied: boolean;
  readonly adjustments: ReadonlyArray<{ readonly group: AdjustmentGroup; readonly amountCents: number }>;
}

/** Remittance lines with their adjustments, as the balance rule reads them. */
export function postedLines(
  lines: ReadonlyArray<{ readonly id: string; readonly paid_cents: number; readonly denied: boolean }>,
  adjustments: ReadonlyArray<{ readonly remittance_line_id: string; readonly group_code: AdjustmentGroup; readonly amount_cents: number }>,
): PostedLine[] {
  return lines.map((l) => ({
    paidCents: Number(l.paid_cents),
    denied: l.denied,
    adjustments: adjustments
      .filter((a) => a.remittance_line_id === l.id)
      .map((a) => ({ group: a.group_code, amountCents: Number(a.amount_cents) })),
  }));
}

/** `-cents`, without JavaScript's negative zero. */
const negated = (cents: number): number => 0 - cents;

/** A posted remittance line, as a reversal reads it. */
export interface Posting {
  readonly id: string;
  readonly claimLineId: string;
  readonly reversesLineId: string | null;
  readonly allowedCents: number;
  readonly paidCents: number;
  readonly patientResponsibilityCents: number;
  readonly denied: boolean;
  readonly adjustments: ReadonlyArray<{ readonly group: AdjustmentGroup; readonly reason: string; readonly amountCents: number }>;
}

/**
 * A payer's reversal of a claim's adjudication (835 claim status 22): one line per posting still in
 * force (neither a reversal itself nor reversed already) with every amount negated and the same
 * denial flag, so that every sum over the postings nets to what it was before they were posted.
 */
export function reversalOf(
  postings: readonly Posting[],
): Array<Omit<Posting, 'id' | 'reversesLineId'> & { readonly reversesLineId: string }> {
  const reversed = new Set(postings.flatMap((p) => (p.reversesLineId ? [p.reversesLineId] : [])));
  return postings
    .filter((p) => p.reversesLineId === null && !reversed.has(p.id))
    .map((p) => ({
      claimLineId: p.claimLineId,
      reversesLineId: p.id,
      allowedCents: negated(p.allowedCents),
      paidCents: negated(p.paidCents),
      patientResponsibilityCents: negated(p.patientResponsibilityCents),
      denied: p.denied,
      adjustments: p.adjustments.map((a) => ({ group: a.group, reason: a.reason, amountCents: negated(a.amountCents) })),
    }));
}

export interface Balance {
  readonly chargeCents: number;
  readonly payerPaidCents: number;
  readonly adjustedCents: number;
  readonly patientResponsibilityCents: number;
  readonly patientPaidCents: number;
  readonly balanceCents: number;
  readonly patientBalanceCents: number;
  readonly insuranceBalanceCents: number;
}

/** A claim's balance from its charge, its posted remittance lines and its patients' payments. */
export function claimBalance(
  claim: { readonly status: ClaimStatus; readonly chargeCents: number },
  posted: readonly PostedLine[],
  patientPaidCents: number,
): Balance {
  let payerPaid = 0;
  let adjusted = 0;
  let pr = 0;
  for (const line of posted) {
    payerPaid += line.paidCents;
    if (line.denied) continue;
    for (const a of line.adjustments) {
      if (a.group === 'PR') pr += a.amountCents;
      else adjusted += a.amountCents;
    }
  }
  if (claim.status === 'void') {
    return {
      chargeCents: claim.chargeCents,
      payerPaidCents: payerPaid,
      adjustedCents: adjusted,
      patientResponsibilityCents: pr,
      patientPaidCents: patientPaidCents,
      balanceCents: 0,
      patientBalanceCents: 0,
      insuranceBalanceCents: 0,
    };
  }
  const balance = claim.chargeCents - payerPaid - adjusted - patientPaidCents;
  const patientBalance = pr - patientPaidCents;
  return {
    chargeCents: claim.chargeCents,
    payerPaidCents: payerPaid,
    adjustedCents: adjusted,
    patientResponsibilityCents: pr,
    patientPaidCents,
    balanceCents: balance,
    patientBalanceCents: patientBalance,
    insuranceBalanceCents: balance - patientBalance,
  };
}

/** A claim's balance from its stored rows: the claim, its remittance lines, their adjustments and its patient payments. */
export function claimBalanceOfRows(
  claim: { readonly status: ClaimStatus; readonly total_charge_cents: number },
  lines: Parameters<typeof postedLines>[0],
  adjustments: Parameters<typeof postedLines>[1],
  patientPayments: ReadonlyArray<{ readonly amount_cents: number }>,
): Balance {
  const patientPaid = patientPayments.reduce((sum, p) => sum + Number(p.amount_cents), 0);
  return claimBalance(
    { status: claim.status, chargeCents: Number(claim.total_charge_cents) },
    postedLines(lines, adjustments),
    patientPaid,
  );
}

/** Adds balances (an encounter's claims, a patient's claims). */
export function sumBalances(balances: readonly Balance[]): Balance {
  const zero: Balance = {
    chargeCents: 0,
    payerPaidCents: 0,
    adjustedCents: 0,
    patientResponsibilityCents: 0,
    patientPaidCents: 0,
    balanceCents: 0,
    patientBalanceCents: 0,
    insuranceBalanceCents: 0,
  };
  return balances.reduce<Balance>(
    (sum, b) => ({
      chargeCents: sum.chargeCents + b.chargeCents,
      payerPaidCents: sum.payerPaidCents + b.payerPaidCents,
      adjustedCents: sum.adjustedCents + b.adjustedCents,
      patientResponsibilityCents: sum.patientResponsibilityCents + b.patientResponsibilityCents,
      patientPaidCents: sum.patientPaidCents + b.patientPaidCents,
      balanceCents: sum.balanceCents + b.balanceCents,
      patientBalanceCents: sum.patientBalanceCents + b.patientBalanceCents,
      insuranceBalanceCents: sum.insuranceBalanceCents + b.insuranceBalanceCents,
    }),
    zero,
  );
}

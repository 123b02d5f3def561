import {
  appendAudit,
  contentHash,
  inTransaction,
  type AdjustmentGroup,
  type ClaimAppealRow,
  type ClaimRow,
  type PatientPaymentRow,
  type PaymentMethod,
  type PmsDatabase,
  type RemittanceRow,
} from '@chartbridge/db';
import {
  type MutationError,
  ConflictError,
  NotFoundError,
  ValidationError,
  authorizeChange,
  changeRecord,
  isIsoDate,
  parseAmountToCents,
} from '@chartbridge/kit';
import type { Transaction } from 'kysely';
import type { PmsContext } from '../context.js';
import { findLinesByClaimIds } from '../data/claim.repository.js';
import { findPayersByIds } from '../data/coverage.repository.js';
import { findPatientsByIds } from '../data/patient.repository.js';
import {
  findAdjustmentsByClaimIds,
  findPatientPaymentsByClaimIds,
  findRemittanceByTrace,
  findRemittanceLinesByClaimIds,
  insertAppeal,
  insertPatientPayment,
  insertRemittanceLines,
  insertRemittanceOnce,
  lockClaims,
  updateClaimAdjudication,
  type NewRemittanceLine,
} from '../data/payment.repository.js';
import { updateClaimStatus } from '../data/claim-submission.repository.js';
import { transitionProblem } from '../rules/claim-status.js';
import {
  adjudicatedStatus,
  claimBalanceOfRows,
  isDenied,
  remittancePath,
  remittanceProblem,
  reversalOf,
  settledLineIds,
  type Balance,
  type Posting,
  type RemittanceLineInput,
} from '../rules/remittance.js';

/** A remittance's adjudication of one claim line, with decimal amounts as sent. */
export interface RemittanceLineArgs {
  readonly lineNumber: number;
  readonly allowed: string;
  readonly paid: string;
  readonly patientResponsibility: string | null;
  readonly adjustments: ReadonlyArray<{ readonly group: AdjustmentGroup; readonly reason: string; readonly amount: string }>;
}

export interface PostRemittanceArgs {
  readonly payerId: string;
  readonly traceNumber: string;
  readonly paymentDate: string;
  /** Each claim's adjudication; with `reversal`, no lines: the payer takes back the claim's postings. */
  readonly claims: ReadonlyArray<{ readonly claimId: string; readonly reversal: boolean; readonly lines: readonly RemittanceLineArgs[] }>;
}

export interface PostPatientPaymentArgs {
  readonly patientId: string;
  readonly claimId: string | null;
  readonly amount: string;
  readonly method: PaymentMethod;
  readonly reference: string | null;
  readonly receivedOn: string;
}

/** The most claims one remittance posts in one request. */
export const MAX_REMITTANCE_CLAIMS = 500;
const TRACE = /^[A-Za-z0-9-]{1,50}$/;
/** The statuses a claim is adjudicated from: awaiting the payer, or appealed. */
const REMITTABLE: ReadonlySet<ClaimRow['status']> = new Set(['submitted', 'accepted', 'appealed']);
/** The statuses an adjudication left, which a payer's reversal takes back. */
const REVERSIBLE: ReadonlySet<ClaimRow['status']> = new Set(['paid', 'partially_paid', 'denied']);
const REFERENCE = /^[A-Za-z0-9-]{1,50}$/;
/** The largest amount one line or payment carries ($10,000,000.00). */
const MAX_CENTS = 1_000_000_000;

/** A decimal amount as cents, or the error naming its field: malformed, fractional cents, negative, too large. */
function cents(amount: string, field: string, options: { readonly positive?: boolean } = {}): number | ValidationError {
  const value = parseAmountToCents(amount);
  if (value === undefined) return new ValidationError(`"${amount}" is not an amount with at most two decimal places`, field);
  if (value < 0 || (options.positive && value === 0))
    return new ValidationError(options.positive ? 'The amount must be positive' : 'The amount must not be negative', field);
  if (value > MAX_CENTS) return new ValidationError('The amount is too large', field);
  return value;
}

/** Parses one claim entry's lines into cents, or the first malformed amount's error. */
function parseLines(lines: readonly RemittanceLineArgs[], at: string): RemittanceLineInput[] | ValidationError {
  const parsed: RemittanceLineInput[] = [];
  for (const [i, line] of lines.entries()) {
    const path = `${at}.lines.${i}`;
    const allowed = cents(line.allowed, `${path}.allowed`);
    if (allowed instanceof ValidationError) return allowed;
    const paid = cents(line.paid, `${path}.paid`);
    if (paid instanceof ValidationError) return paid;
    const pr = cents(line.patientResponsibility ?? '0', `${path}.patientResponsibility`);
    if (pr instanceof ValidationError) return pr;
    const adjustments = [];
    for (const [j, adj] of line.adjustments.entries()) {
      const amount = cents(adj.amount, `${path}.adjustments.${j}.amount`, { positive: true });
      if (amount instanceof ValidationError) return amount;
      adjustments.push({ group: adj.group, reason: adj.reason.trim().toUpperCase(), amountCents: amount });
    }
    parsed.push({ lineNumber: line.lineNumber, allowedCents: allowed, paidCents: paid, patientResponsibilityCents: pr, adjustments });
  }
  return parsed;
}

/**
 * Posts a payer's remittance (billers): per claim line the allowed and paid amounts and the
 * adjustments, each claim moving to paid, partially paid or denied; or, for a claim marked as a
 * reversal, lines negating its postings in force, the claim going back to accepted. Idempotent by payer and trace
 * number: the same trace with the same content returns the remittance first posted and posts
 * nothing; with other content it is a CONFLICT. The claims are locked in a fixed order first, so a
 * concurrent posting of the same trace waits and then finds it. All or nothing, audited per claim.
 */
export async function postRemittance(ctx: PmsContext, today: string, input: PostRemittanceArgs): Promise<RemittanceRow | MutationError> {
  // Decided first for the caller (nothing of any claim is read before), then for each claim's patient.
  const refused = await authorizeChange(ctx, 'remittance.post', null, { entityType: 'remittance' });
  if (refused) return refused;
  const { payerId } = input;
  const traceNumber = input.traceNumber.trim();
  if (!TRACE.test(traceNumber)) return new ValidationError('traceNumber must be 1 to 50 letters, digits or hyphens', 'input.traceNumber');
  if (!isIsoDate(input.paymentDate)) return new ValidationError('paymentDate is not a date', 'input.paymentDate');
  if (input.paymentDate > today) return new ValidationError('paymentDate is in the future', 'input.paymentDate');
  if (input.claims.length === 0) return new ValidationError('A remittance pays at least one claim', 'input.claims');
  if (input.claims.length > MAX_REMITTANCE_CLAIMS)
    return new ValidationError(`A remittance posts at most ${MAX_REMITTANCE_CLAIMS} claims a request`, 'input.claims');

  const entries: Array<{ claimId: string; reversal: boolean; lines: RemittanceLineInput[] }> = [];
  const seen = new Set<string>();
  for (const [i, entry] of input.claims.entries()) {
    const at = `input.claims.${i}`;
    const { claimId } = entry;
    if (seen.has(claimId)) return new ValidationError('The claim appears twice in the remittance', `${at}.claimId`);
    seen.add(claimId);
    if (entry.reversal && entry.lines.length > 0)
      return new ValidationError("A reversal takes back the claim's postings as they were: give no lines", `${at}.lines`);
    const lines = parseLines(entry.lines, at);
    if (lines instanceof ValidationError) return lines;
    entries.push({ claimId, reversal: entry.reversal, lines });
  }
  const [payer] = await findPayersByIds(ctx.db, [payerId]);
  if (!payer) return new NotFoundError(`Payer ${payerId} was not found`, 'input.payerId');

  const hash = contentHash({ payerId, traceNumber, paymentDate: input.paymentDate, entries });
  return inTransaction(ctx.db, async (trx): Promise<RemittanceRow | MutationError> => {
    const claims = new Map(
      (
        await lockClaims(
          trx,
          entries.map((e) => e.claimId),
        )
      ).map((c) => [c.id, c]),
    );
    const replay = await replayOf(trx, payerId, traceNumber, hash);
    if (replay) return replay;

    const claimLines = await findLinesByClaimIds(trx, [...claims.keys()]);
    // Reversals negate a claim's postings; an appealed claim's remittance adjudicates only the lines its postings left denied.
    const withHistory = entries.filter((e) => e.reversal || claims.get(e.claimId)?.status === 'appealed').map((e) => e.claimId);
    const [history, postedAdjustments] = await Promise.all([
      findRemittanceLinesByClaimIds(trx, withHistory),
      findAdjustmentsByClaimIds(trx, withHistory),
    ]);
    const postingsOf = (claimId: string): Posting[] =>
      history
        .filter((p) => p.claim_id === claimId)
        .map((p) => ({
          id: p.id,
          claimLineId: p.claim_line_id,
          reversesLineId: p.reverses_line_id,
          allowedCents: Number(p.allowed_cents),
          paidCents: Number(p.paid_cents),
          patientResponsibilityCents: Number(p.patient_responsibility_cents),
          denied: p.denied,
          adjustments: postedAdjustments
            .filter((a) => a.remittance_line_id === p.id)
            .map((a) => ({ group: a.group_code, reason: a.reason_code, amountCents: Number(a.amount_cents) })),
        }));
    const toWrite: NewRemittanceLine[] = [];
    const outcomes: Array<{ claim: ClaimRow; status: ClaimRow['status'] }> = [];
    for (const [i, entry] of entries.entries()) {
      const at = `input.claims.${i}`;
      const claim = claims.get(entry.claimId);
      if (!claim) return new NotFoundError(`Claim ${entry.claimId} was not found`, `${at}.claimId`);
      const refusedClaim = await authorizeChange(ctx, 'remittance.post', claim.patient_id, {
        db: trx,
        entityType: 'claim',
        entityId: claim.id,
      });
      if (refusedClaim) return refusedClaim;
      if (entry.reversal) {
        if (claim.payer_id !== payerId) return new ValidationError('The claim was not billed to this payer', `${at}.claimId`);
        const refused = REVERSIBLE.has(claim.status)
          ? transitionProblem(claim.status, 'accepted')
          : `A ${claim.status} claim has no adjudication to reverse`;
        if (refused) return new ConflictError(refused, `${at}.claimId`);
        const lines = reversalOf(postingsOf(claim.id));
        toWrite.push(...lines.map((l) => ({ ...l, claimId: claim.id })));
        outcomes.push({ claim, status: 'accepted' });
        continue;
      }
      if (!REMITTABLE.has(claim.status))
        return new ConflictError(`A ${claim.status} claim takes no remittance (submitted, accepted or appealed ones do)`, `${at}.claimId`);
      if (claim.payer_id !== payerId) return new ValidationError('The claim was not billed to this payer', `${at}.claimId`);
      const lines = claimLines.filter((l) => l.claim_id === claim.id);
      const settled = claim.status === 'appealed' ? settledLineIds(postingsOf(claim.id)) : new Set<string>();
      const problem = remittanceProblem(
        lines.map((l) => ({ lineNumber: l.line_number, chargeCents: Number(l.charge_cents), settled: settled.has(l.id) })),
        entry.lines,
      );
      if (problem) return new ValidationError(problem.message, `${at}.${problem.path}`);
      const status = adjudicatedStatus(entry.lines, settled.size);
      let from = claim.status;
      for (const to of remittancePath(claim.status, status)) {
        const refused = transitionProblem(from, to);
        if (refused) return new ConflictError(refused, `${at}.claimId`);
        from = to;
      }
      const lineId = new Map(lines.map((l) => [l.line_number, l.id]));
      for (const [j, line] of entry.lines.entries()) {
        const claimLineId = lineId.get(line.lineNumber);
        // remittanceProblem refused unknown line numbers already; this keeps the types honest.
        if (claimLineId === undefined)
          return new ValidationError(`The claim has no line ${line.lineNumber}`, `${at}.lines.${j}.lineNumber`);
        toWrite.push({
          claimId: claim.id,
          claimLineId,
          allowedCents: line.allowedCents,
          paidCents: line.paidCents,
          patientResponsibilityCents: line.patientResponsibilityCents,
          denied: isDenied(line),
          reversesLineId: null,
          adjustments: line.adjustments,
        });
      }
      outcomes.push({ claim, status });
    }

    const totalPaidCents = toWrite.reduce((sum, l) => sum + l.paidCents, 0);
    const remittance = await insertRemittanceOnce(trx, {
      payerId,
      traceNumber,
      paymentDate: input.paymentDate,
      totalPaidCents,
      contentHash: hash,
      postedBy: ctx.access.identity.subject,
    });
    // Another posting of this trace for other claims committed meanwhile: the same content is a replay.
    if (!remittance)
      return (
        (await replayOf(trx, payerId, traceNumber, hash)) ?? new ConflictError('The trace number was posted meanwhile', 'input.traceNumber')
      );
    await insertRemittanceLines(trx, remittance, toWrite);
    const audit = [];
    for (const { claim, status } of outcomes) {
      const after = await updateClaimAdjudication(trx, claim.id, status);
      audit.push(
        changeRecord(ctx, {
          action: 'remittance.post',
          entityType: 'remittance',
          entityId: remittance.id,
          patientId: claim.patient_id,
          dataClasses: ['financial'],
          before: claim,
          after,
        }),
      );
    }
    await appendAudit(trx, 'pms', audit);
    return remittance;
  });
}

/** The remittance already posted under this trace: itself when the content is the same, a CONFLICT when not, null when none. */
async function replayOf(
  trx: Transaction<PmsDatabase>,
  payerId: string,
  traceNumber: string,
  hash: string,
): Promise<RemittanceRow | ConflictError | null> {
  const existing = await findRemittanceByTrace(trx, payerId, traceNumber);
  if (!existing) return null;
  return existing.content_hash === hash
    ? existing
    : new ConflictError('This trace number was already posted with other content', 'input.traceNumber');
}

/** A claim's balance inside a transaction, from its posted lines and payments. */
async function balanceInTransaction(trx: Transaction<PmsDatabase>, claim: ClaimRow): Promise<Balance> {
  const [lines, adjustments, payments] = await Promise.all([
    findRemittanceLinesByClaimIds(trx, [claim.id]),
    findAdjustmentsByClaimIds(trx, [claim.id]),
    findPatientPaymentsByClaimIds(trx, [claim.id]),
  ]);
  return claimBalanceOfRows(claim, lines, adjustments, payments);
}

/**
 * Posts a patient's payment (front desk, billers): on a claim, up to what the claim still owes, or
 * on account when no claim is named. Audited; all or nothing.
 */
export async function postPatientPayment(
  ctx: PmsContext,
  today: string,
  input: PostPatientPaymentArgs,
): Promise<PatientPaymentRow | MutationError> {
  const { patientId } = input;
  const refused = await authorizeChange(ctx, 'patient_payment.post', patientId, { entityType: 'patient_payment' });
  if (refused) return refused;
  const amount = cents(input.amount, 'input.amount', { positive: true });
  if (amount instanceof ValidationError) return amount;
  if (!isIsoDate(input.receivedOn)) return new ValidationError('receivedOn is not a date', 'input.receivedOn');
  if (input.receivedOn > today) return new ValidationError('receivedOn is in the future', 'input.receivedOn');
  const reference = input.reference?.trim() || null;
  if (reference !== null && !REFERENCE.test(reference))
    return new ValidationError('reference must be 1 to 50 letters, digits or hyphens', 'input.reference');
  const [patient] = await findPatientsByIds(ctx.db, [patientId]);
  if (!patient) return new NotFoundError(`Patient ${patientId} was not found`, 'input.patientId');

  return inTransaction(ctx.db, async (trx): Promise<PatientPaymentRow | MutationError> => {
    let claimId: string | null = null;
    if (input.claimId !== null) {
      const [claim] = await lockClaims(trx, [input.claimId]);
      if (!claim) return new NotFoundError(`Claim ${input.claimId} was not found`, 'input.claimId');
      if (claim.patient_id !== patientId) return new ValidationError("The claim is not this patient's", 'input.claimId');
      if (claim.status === 'void') return new ConflictError('A void claim takes no payment', 'input.claimId');
      const { balanceCents } = await balanceInTransaction(trx, claim);
      if (amount > balanceCents)
        return new ValidationError(`The claim owes ${(balanceCents / 100).toFixed(2)}: post the rest on account`, 'input.amount');
      claimId = claim.id;
    }
    const payment = await insertPatientPayment(trx, {
      patientId,
      claimId,
      amountCents: amount,
      method: input.method,
      reference,
      receivedOn: input.receivedOn,
      postedBy: ctx.access.identity.subject,
    });
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'patient_payment.post',
        entityType: 'patient_payment',
        entityId: payment.id,
        patientId,
        dataClasses: ['financial'],
        before: null,
        after: payment,
      }),
    ]);
    return payment;
  });
}

/** Appeals a denied or partially paid claim (billers), with the reason kept; the claim becomes appealed. */
export async function appealClaim(
  ctx: PmsContext,
  input: { readonly claimId: string; readonly reason: string },
): Promise<ClaimRow | MutationError> {
  const { claimId } = input;
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > 2000) return new ValidationError('reason must be 1 to 2000 characters', 'input.reason');
  return inTransaction(ctx.db, async (trx): Promise<ClaimRow | MutationError> => {
    const [claim] = await lockClaims(trx, [claimId]);
    const refused = await authorizeChange(ctx, 'claim.appeal', claim?.patient_id ?? null, {
      db: trx,
      entityType: 'claim',
      entityId: claimId,
    });
    if (refused) return refused;
    if (!claim) return new NotFoundError(`Claim ${claimId} was not found`, 'input.claimId');
    const problem = transitionProblem(claim.status, 'appealed');
    if (problem) return new ConflictError(problem, 'input.claimId');
    const appeal: ClaimAppealRow = await insertAppeal(trx, { claimId, reason, appealedBy: ctx.access.identity.subject });
    const after = await updateClaimStatus(trx, claimId, 'appealed');
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'claim.appeal',
        entityType: 'claim',
        entityId: claimId,
        patientId: claim.patient_id,
        dataClasses: ['financial'],
        before: claim,
        after: { claim: after, appeal: appeal.id },
      }),
    ]);
    return after;
  });
}

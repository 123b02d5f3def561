import type { ClaimStatus } from '@chartbridge/db';

// A claim's life cycle (docs/PRACTICE-DOMAIN.md, "Charges and claims"). Pure: no database, no clock.

/** Every claim status, in life-cycle order. */
export const CLAIM_STATUSES: readonly ClaimStatus[] = [
  'draft',
  'ready',
  'submitted',
  'accepted',
  'rejected',
  'paid',
  'partially_paid',
  'denied',
  'appealed',
  'void',
];

/**
 * The statuses each status may move to. A rejection (the clearinghouse refused the claim's form)
 * goes back to draft for correction; a denial (the payer refused to pay) is appealed or written off
 * by voiding. Void is final; a paid claim changes only when its payer reverses the payment.
 */
export const CLAIM_TRANSITIONS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['ready', 'void'],
  ready: ['draft', 'submitted', 'void'],
  submitted: ['accepted', 'rejected'],
  accepted: ['paid', 'partially_paid', 'denied'],
  rejected: ['draft', 'void'],
  // A payer's reversal (835 claim status 22) takes an adjudication back: the claim awaits the payer again.
  denied: ['appealed', 'void', 'accepted'],
  appealed: ['paid', 'partially_paid', 'denied'],
  // A partial payment's denied lines are appealed like a denial.
  partially_paid: ['paid', 'appealed', 'accepted'],
  paid: ['accepted'],
  void: [],
};

export function canTransition(from: ClaimStatus, to: ClaimStatus): boolean {
  return CLAIM_TRANSITIONS[from].includes(to);
}

/** Why a claim cannot move from one status to another (a CONFLICT for the caller), or null when it can. */
export function transitionProblem(from: ClaimStatus, to: ClaimStatus): string | null {
  if (canTransition(from, to)) return null;
  const next = CLAIM_TRANSITIONS[from];
  return next.length === 0
    ? `A ${from} claim is final: it cannot become ${to}`
    : `A ${from} claim cannot become ${to} (it may become ${next.join(', ')})`;
}

/** Charge capture rebuilds a claim's lines only while it is a draft: afterwards the billed facts are the record. */
export function isCaptureEditable(status: ClaimStatus): boolean {
  return status === 'draft';
}

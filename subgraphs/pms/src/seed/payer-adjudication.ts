import type { AdjustmentInput, RemittanceLineInput } from '../rules/remittance.js';
import { remittanceProblem } from '../rules/remittance.js';

// How the synthetic payers adjudicate a claim (ASC X12 835 amounts), pure and checked against the
// posting rules: every line balances (charge = paid + adjustments) before the seed writes it.
//
// - Allowed: a contracted share of the charge per payer (and a little per code); the rest is CO-45
//   (charge exceeds the fee schedule), the contractual write-off.
// - Patient responsibility, PR: the copay on office visits (PR-3), the deductible (PR-1) and
//   coinsurance (PR-2) on other services; preventive services have none (ACA section 2713).
//   The posting rules read a line paid nothing with a contractual adjustment as denied, so the
//   patient's share never takes a whole allowed amount: the payer always pays part of a covered line.
// - Denials pay nothing and adjust the whole charge with the CARC reason (group CO).
// - A service the plan does not cover is the patient's: PR-204, the whole charge, nothing paid.

/** CARC reasons the payers deny with (X12 Claim Adjustment Reason Codes), what they apply to, and whether billers appeal them. */
export interface DenialReason {
  readonly reason: string;
  readonly weight: number;
  /** A whole claim, one line, or either. */
  readonly scope: 'claim' | 'line' | 'either';
  /** The appeal's argument when billers contest it; null when they write it off. */
  readonly appeal: string | null;
}

export const DENIAL_REASONS: readonly DenialReason[] = [
  { reason: '16', weight: 22, scope: 'either', appeal: 'Corrected claim: the missing information is supplied' },
  { reason: '18', weight: 6, scope: 'claim', appeal: null },
  { reason: '22', weight: 9, scope: 'claim', appeal: 'Coordination of benefits updated: this payer is primary' },
  { reason: '27', weight: 7, scope: 'claim', appeal: null },
  { reason: '29', weight: 4, scope: 'claim', appeal: null },
  { reason: '50', weight: 12, scope: 'either', appeal: 'Records attached showing the service was medically necessary' },
  { reason: '97', weight: 10, scope: 'line', appeal: null },
  { reason: '109', weight: 5, scope: 'claim', appeal: null },
  { reason: '151', weight: 6, scope: 'line', appeal: 'Records attached: the frequency is within the plan limits' },
  { reason: '197', weight: 9, scope: 'either', appeal: 'Authorization obtained before the service: reference attached' },
];

/** Preventive services: no cost sharing for the patient (ACA section 2713; CMS for the annual wellness visit). */
const PREVENTIVE = new Set(['99385', '99386', '99395', '99396', '99401', 'G0438', 'G0439', 'G0442', 'G0444', '90471', '90686', 'Q0091']);
const OFFICE_VISIT = /^992(0[2-5]|1[1-5])$/;

/** The contracted share of billed charges, per payer (the practice's fees sit above every payer's schedule). */
const PAYER_ALLOWED_SHARE: readonly number[] = [0.62, 0.71, 0.56];

/** A code's own variation of the payer's share, 0.9 to 1.1, fixed per payer and code. */
function codeFactor(payerIndex: number, code: string): number {
  let h = 2166136261 ^ payerIndex;
  for (let i = 0; i < code.length; i += 1) h = Math.imul(h ^ code.charCodeAt(i), 16777619);
  return 0.9 + ((h >>> 0) % 201) / 1000;
}

/** What the payer allows for a line: never more than the charge. */
export function allowedCents(payerIndex: number, code: string, chargeCents: number): number {
  const share = (PAYER_ALLOWED_SHARE[payerIndex % PAYER_ALLOWED_SHARE.length] ?? 0.6) * codeFactor(payerIndex, code);
  return Math.min(chargeCents, Math.max(1, Math.round(chargeCents * share)));
}

/** The patient's plan as the payer applies it; `deductibleLeftCents` is drawn down as lines apply to it. */
export interface PlanBenefits {
  readonly copayCents: number;
  readonly coinsurancePercent: number;
  deductibleLeftCents: number;
}

export interface AdjudicatedLineFacts {
  readonly lineNumber: number;
  readonly code: string;
  readonly chargeCents: number;
}

/** How the payer decides a claim: paid as contracted, denied whole or on one line, or one line not covered. */
export type PayerDecision =
  | { readonly kind: 'pay' }
  | { readonly kind: 'deny_claim'; readonly reason: string }
  | { readonly kind: 'deny_line'; readonly lineNumber: number; readonly reason: string }
  | { readonly kind: 'not_covered'; readonly lineNumber: number };

function paidLine(payerIndex: number, line: AdjudicatedLineFacts, plan: PlanBenefits, copayLeft: { cents: number }): RemittanceLineInput {
  const allowed = allowedCents(payerIndex, line.code, line.chargeCents);
  const adjustments: AdjustmentInput[] = [];
  if (line.chargeCents > allowed) adjustments.push({ group: 'CO', reason: '45', amountCents: line.chargeCents - allowed });
  // The patient's share stops at 80% of the allowed amount: the payer pays part of every covered line.
  let shareLeft = Math.floor(allowed * 0.8);
  const share = (reason: string, cents: number) => {
    const amount = Math.min(cents, shareLeft);
    if (amount <= 0) return;
    shareLeft -= amount;
    adjustments.push({ group: 'PR', reason, amountCents: amount });
  };
  if (!PREVENTIVE.has(line.code)) {
    if (OFFICE_VISIT.test(line.code) && copayLeft.cents > 0) {
      const before = shareLeft;
      share('3', copayLeft.cents);
      copayLeft.cents -= before - shareLeft;
    } else {
      const before = shareLeft;
      share('1', plan.deductibleLeftCents);
      plan.deductibleLeftCents -= before - shareLeft;
      share('2', Math.round(((allowed - (before - shareLeft)) * plan.coinsurancePercent) / 100));
    }
  }
  const pr = adjustments.filter((a) => a.group === 'PR').reduce((sum, a) => sum + a.amountCents, 0);
  return { lineNumber: line.lineNumber, allowedCents: allowed, paidCents: allowed - pr, patientResponsibilityCents: pr, adjustments };
}

/**
 * A payer's adjudication of every line of a claim under a decision, balanced line by line.
 * Throws when the result would not post (a bug in the seed, never data to write).
 */
export function adjudicate(
  payerIndex: number,
  lines: readonly AdjudicatedLineFacts[],
  plan: PlanBenefits,
  decision: PayerDecision,
): RemittanceLineInput[] {
  const copayLeft = { cents: plan.copayCents };
  const result = lines.map((line): RemittanceLineInput => {
    const denied = decision.kind === 'deny_claim' || (decision.kind === 'deny_line' && decision.lineNumber === line.lineNumber);
    if (denied) {
      return {
        lineNumber: line.lineNumber,
        allowedCents: 0,
        paidCents: 0,
        patientResponsibilityCents: 0,
        adjustments: [{ group: 'CO', reason: decision.reason, amountCents: line.chargeCents }],
      };
    }
    if (decision.kind === 'not_covered' && decision.lineNumber === line.lineNumber) {
      return {
        lineNumber: line.lineNumber,
        allowedCents: 0,
        paidCents: 0,
        patientResponsibilityCents: line.chargeCents,
        adjustments: [{ group: 'PR', reason: '204', amountCents: line.chargeCents }],
      };
    }
    return paidLine(payerIndex, line, plan, copayLeft);
  });
  const problem = remittanceProblem(lines, result);
  if (problem) throw new Error(`The seed adjudicated a claim that would not post: ${problem.message}`);
  return result;
}

import type { EligibilityOutcome } from '@chartbridge/db';

/** An effective period of dates `YYYY-MM-DD`, both ends inclusive; an open end has no upper bound. */
export interface EffectivePeriod {
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
}

/** True when the date falls inside the period, ends included. ISO dates compare as strings. */
export function isInForce(period: EffectivePeriod, date: string): boolean {
  return period.effectiveFrom <= date && (period.effectiveTo === null || date <= period.effectiveTo);
}

/**
 * What is left of the deductible: the plan's deductible less what the patient has met, never
 * negative (a patient who has met more than the deductible owes none of it); null when the plan's
 * deductible is unknown.
 */
export function remainingDeductible(deductibleCents: number | null, metCents: number): number | null {
  if (deductibleCents === null) return null;
  return Math.max(0, deductibleCents - metCents);
}

export interface PlanDecision {
  readonly outcome: EligibilityOutcome;
  readonly copayCents: number | null;
  readonly remainingDeductibleCents: number | null;
  readonly message: string;
}

/**
 * Decides eligibility from the stored coverage: active when the date of service is inside the
 * effective period, with the coverage's copay and remaining deductible; inactive otherwise, with
 * no amounts (an inactive plan owes nothing on the visit).
 */
export function decideFromPlan(
  plan: EffectivePeriod & {
    readonly copayCents: number | null;
    readonly deductibleCents: number | null;
    readonly deductibleMetCents: number;
  },
  dateOfService: string,
): PlanDecision {
  if (!isInForce(plan, dateOfService)) {
    const when = dateOfService < plan.effectiveFrom ? 'before the coverage starts' : 'after the coverage ended';
    return { outcome: 'inactive', copayCents: null, remainingDeductibleCents: null, message: `The date of service is ${when}` };
  }
  return {
    outcome: 'active',
    copayCents: plan.copayCents,
    remainingDeductibleCents: remainingDeductible(plan.deductibleCents, plan.deductibleMetCents),
    message: 'Coverage is in force on the date of service',
  };
}

import type { EligibilityAdapter, EligibilityRequest, EligibilityResponse } from './eligibility-adapter.js';
import { decideFromPlan } from '../rules/eligibility.js';

/**
 * The adapter used when no clearinghouse is connected: it answers from the coverage as the
 * practice recorded it (effective period, copay, deductible and what has been met), so the answer
 * is only as current as the front desk's data.
 */
export const builtInEligibilityAdapter: EligibilityAdapter = {
  name: 'built-in',
  check(request: EligibilityRequest): Promise<EligibilityResponse> {
    return Promise.resolve(builtInEligibilityAnswer(request));
  },
};

/** The built-in adapter's answer, computed at once (the synthetic-practice seed stores the same). */
export function builtInEligibilityAnswer(request: EligibilityRequest): EligibilityResponse {
  const decision = decideFromPlan(request.coverage, request.dateOfService);
  return {
    ...decision,
    // The payer's electronic id and the benefit amounts only: nothing that identifies the patient.
    raw: {
      source: 'stored-coverage',
      payerId: request.payer.payerId,
      outcome: decision.outcome,
      copayCents: decision.copayCents,
      remainingDeductibleCents: decision.remainingDeductibleCents,
    },
  };
}

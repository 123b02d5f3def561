import type { EligibilityAdapter, EligibilityRequest, EligibilityResponse } from './eligibility-adapter.js';
import { decideFromPlan } from './eligibility.rules.js';

/**
 * The adapter used when no clearinghouse is connected: it answers from the coverage as the
 * practice recorded it (effective period, copay, deductible and what has been met), so the answer
 * is only as current as the front desk's data.
 */
export const builtInEligibilityAdapter: EligibilityAdapter = {
  name: 'built-in',
  check(request: EligibilityRequest): Promise<EligibilityResponse> {
    const decision = decideFromPlan(request.coverage, request.dateOfService);
    return Promise.resolve({
      ...decision,
      // The payer's electronic id and the benefit amounts only: nothing that identifies the patient.
      raw: {
        source: 'stored-coverage',
        payerId: request.payer.payerId,
        outcome: decision.outcome,
        copayCents: decision.copayCents,
        remainingDeductibleCents: decision.remainingDeductibleCents,
      },
    });
  },
};

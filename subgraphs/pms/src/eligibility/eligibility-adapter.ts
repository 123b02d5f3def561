import type { CoverageRank, CoverageRow, EligibilityOutcome, SubscriberRelationship } from '@chartbridge/db';

/**
 * What an eligibility check asks (the content of an X12 270 inquiry, reduced to what the platform
 * holds): is this coverage in force on this date of service, and what does the patient owe.
 */
export interface EligibilityRequest {
  readonly dateOfService: string;
  readonly payer: { readonly payerId: string; readonly name: string };
  readonly coverage: {
    readonly rank: CoverageRank;
    readonly memberId: string;
    readonly groupNumber: string | null;
    readonly planName: string | null;
    readonly relationship: SubscriberRelationship;
    readonly effectiveFrom: string;
    readonly effectiveTo: string | null;
    readonly copayCents: number | null;
    readonly deductibleCents: number | null;
    readonly deductibleMetCents: number;
  };
}

/** What came back (an X12 271 reduced): the outcome and the patient's share, in integer cents. */
export interface EligibilityResponse {
  readonly outcome: EligibilityOutcome;
  /** The copay for the visit; null when the payer did not say. */
  readonly copayCents: number | null;
  /** What is left of the deductible (never negative); null when the payer did not say. */
  readonly remainingDeductibleCents: number | null;
  readonly message: string | null;
  /**
   * The answer as the adapter received it, kept with the check for disputes. It must hold no PHI
   * (no names, member ids, birth dates or dates of service): the row's own columns carry those links.
   */
  readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A source of eligibility answers: the built-in one decides from the stored coverage; a
 * clearinghouse's would send a 270 and parse the 271. Adapters never write: the service stores
 * every check and its answer, audited, whatever the adapter.
 */
export interface EligibilityAdapter {
  /** Stored with each check (`pms.eligibility_check.adapter`). */
  readonly name: string;
  /** Answers one request; an unreachable payer is an `unknown` outcome, not a throw, when it can tell. */
  check(request: EligibilityRequest): Promise<EligibilityResponse>;
}

/** The request about a stored coverage, its payer (electronic id and name) and a date of service. */
export function eligibilityRequestOf(
  coverage: Pick<
    CoverageRow,
    | 'rank'
    | 'member_id'
    | 'group_number'
    | 'plan_name'
    | 'relationship'
    | 'effective_from'
    | 'effective_to'
    | 'copay_cents'
    | 'deductible_cents'
    | 'deductible_met_cents'
  >,
  payer: { readonly payerId: string; readonly name: string },
  dateOfService: string,
): EligibilityRequest {
  return {
    dateOfService,
    payer,
    coverage: {
      rank: coverage.rank,
      memberId: coverage.member_id,
      groupNumber: coverage.group_number,
      planName: coverage.plan_name,
      relationship: coverage.relationship,
      effectiveFrom: coverage.effective_from,
      effectiveTo: coverage.effective_to,
      copayCents: coverage.copay_cents,
      deductibleCents: coverage.deductible_cents,
      deductibleMetCents: coverage.deductible_met_cents,
    },
  };
}

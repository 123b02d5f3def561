import { parseAmountToCents } from '@chartbridge/kit';

/** A member id as payers print them on cards: 3 to 30 letters, digits and hyphens. */
export const MEMBER_ID = /^[A-Za-z0-9-]{3,30}$/;

/** Why a member id is refused, or null when it is well formed. */
export function memberIdProblem(memberId: string): string | null {
  return MEMBER_ID.test(memberId) ? null : 'memberId must be 3 to 30 letters, digits or hyphens';
}

/** Why an effective period is refused (its end before its start), or null. Dates are `YYYY-MM-DD`. */
export function periodProblem(effectiveFrom: string, effectiveTo: string | null): string | null {
  return effectiveTo !== null && effectiveTo < effectiveFrom ? 'effectiveTo must not be before effectiveFrom' : null;
}

/** The largest amount a coverage holds, in cents ($10,000,000.00): the column is a 32-bit integer. */
const MAX_CENTS = 1_000_000_000;

/**
 * An amount of a plan (`"25.00"`) as integer cents, or why it is refused: malformed, more than two
 * decimal places, negative or implausibly large. `null` in gives `null` out (not known).
 */
export function amountCents(name: string, amount: string | null): number | null | { readonly problem: string } {
  if (amount === null) return null;
  const cents = parseAmountToCents(amount);
  if (cents === undefined) return { problem: `${name} must be a decimal amount such as "25.00"` };
  if (cents < 0) return { problem: `${name} must not be negative` };
  if (cents > MAX_CENTS) return { problem: `${name} is too large` };
  return cents;
}

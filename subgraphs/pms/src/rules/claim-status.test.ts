import type { ClaimStatus } from '@chartbridge/db';
import { describe, expect, test } from 'vitest';
import { CLAIM_STATUSES, CLAIM_TRANSITIONS, canTransition, isCaptureEditable, transitionProblem } from './claim-status.js';

const ALLOWED: ReadonlyArray<readonly [ClaimStatus, ClaimStatus]> = [
  ['draft', 'ready'],
  ['draft', 'void'],
  ['ready', 'draft'],
  ['ready', 'submitted'],
  ['ready', 'void'],
  ['submitted', 'accepted'],
  ['submitted', 'rejected'],
  ['accepted', 'paid'],
  ['accepted', 'partially_paid'],
  ['accepted', 'denied'],
  ['rejected', 'draft'],
  ['rejected', 'void'],
  ['denied', 'appealed'],
  ['denied', 'void'],
  ['appealed', 'paid'],
  ['appealed', 'partially_paid'],
  ['appealed', 'denied'],
  ['partially_paid', 'paid'],
  ['partially_paid', 'appealed'],
  ['paid', 'accepted'],
  ['partially_paid', 'accepted'],
  ['denied', 'accepted'],
];

describe('claim status', () => {
  test.each(ALLOWED)('a %s claim may become %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(transitionProblem(from, to)).toBeNull();
  });

  const allowed = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
  const refused = CLAIM_STATUSES.flatMap((from) =>
    CLAIM_STATUSES.filter((to) => !allowed.has(`${from}>${to}`)).map((to) => [from, to] as const),
  );

  test.each(refused)('a %s claim may not become %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(transitionProblem(from, to)).toMatch(new RegExp(`^A ${from} claim`));
  });

  test('lists every status, and only the ones of the table', () => {
    expect(Object.keys(CLAIM_TRANSITIONS).sort()).toEqual([...CLAIM_STATUSES].sort());
    expect(refused.length + ALLOWED.length).toBe(CLAIM_STATUSES.length ** 2);
  });

  test('names the way out, or says the status is final', () => {
    expect(transitionProblem('submitted', 'paid')).toBe('A submitted claim cannot become paid (it may become accepted, rejected)');
    expect(transitionProblem('paid', 'appealed')).toBe('A paid claim cannot become appealed (it may become accepted)');
    expect(transitionProblem('void', 'draft')).toBe('A void claim is final: it cannot become draft');
  });

  test.each(CLAIM_STATUSES.map((s) => [s, s === 'draft'] as const))('charge capture may rebuild a %s claim: %s', (status, editable) => {
    expect(isCaptureEditable(status)).toBe(editable);
  });
});

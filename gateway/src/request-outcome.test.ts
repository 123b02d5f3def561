import { describe, expect, test } from 'vitest';
import { outcomeOfCode, requestOutcome } from './request-outcome.js';

describe('the outcome of a request', () => {
  test.each([
    ['FORBIDDEN', 'denied'],
    ['UNAUTHENTICATED', 'unauthenticated'],
    ['BAD_USER_INPUT', 'invalid'],
    ['GRAPHQL_VALIDATION_FAILED', 'invalid'],
    ['CONFLICT', 'conflict'],
    ['NOT_FOUND', 'not_found'],
    ['INTERNAL_SERVER_ERROR', 'error'],
    ['SOMETHING_NEW', 'error'],
    [undefined, 'error'],
  ] as const)('an error coded %s is %s', (code, outcome) => {
    expect(outcomeOfCode(code)).toBe(outcome);
  });

  test('is success with no error', () => {
    expect(requestOutcome([])).toBe('success');
  });

  test("takes the most telling of several: a refusal, then a failure, then the caller's mistakes", () => {
    expect(requestOutcome(['NOT_FOUND', 'CONFLICT', 'BAD_USER_INPUT'])).toBe('invalid');
    expect(requestOutcome(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR'])).toBe('error');
    expect(requestOutcome(['INTERNAL_SERVER_ERROR', 'FORBIDDEN', 'NOT_FOUND'])).toBe('denied');
    expect(requestOutcome(['NOT_FOUND', 'CONFLICT'])).toBe('conflict');
  });
});

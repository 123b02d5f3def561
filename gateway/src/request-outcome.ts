import type { AuditOutcome } from '@chartbridge/db';

/**
 * The outcome each error code stands for. Every other code (`INTERNAL_SERVER_ERROR`, a code the
 * gateway does not know) is `error`.
 */
const OUTCOME_OF_CODE: Readonly<Record<string, AuditOutcome>> = Object.freeze({
  FORBIDDEN: 'denied',
  UNAUTHENTICATED: 'unauthenticated',
  BAD_USER_INPUT: 'invalid',
  GRAPHQL_VALIDATION_FAILED: 'invalid',
  GRAPHQL_PARSE_FAILED: 'invalid',
  BAD_REQUEST: 'invalid',
  OPERATION_RESOLUTION_FAILURE: 'invalid',
  PERSISTED_QUERY_NOT_FOUND: 'invalid',
  PERSISTED_QUERY_NOT_SUPPORTED: 'invalid',
  CONFLICT: 'conflict',
  NOT_FOUND: 'not_found',
});

/**
 * Most telling first, for a request that ended in several ways: a refusal of the caller above all
 * (what an access review looks for), then a failure of the platform, which leaves the rest of the
 * answer in doubt, then the caller's own mistakes.
 */
const PRECEDENCE: readonly AuditOutcome[] = ['denied', 'unauthenticated', 'error', 'invalid', 'conflict', 'not_found', 'success'];

/** The outcome of one error (a GraphQL error or a mutation's error result) by its code. */
export function outcomeOfCode(code: unknown): AuditOutcome {
  return (typeof code === 'string' ? OUTCOME_OF_CODE[code] : undefined) ?? 'error';
}

/**
 * The outcome of a request that answered with errors and error results of these codes: `success`
 * when there were none, else the most telling (see {@link PRECEDENCE}).
 */
export function requestOutcome(codes: Iterable<unknown>): AuditOutcome {
  let outcome: AuditOutcome = 'success';
  for (const code of codes) {
    const next = outcomeOfCode(code);
    if (PRECEDENCE.indexOf(next) < PRECEDENCE.indexOf(outcome)) outcome = next;
  }
  return outcome;
}

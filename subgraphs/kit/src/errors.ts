import { GraphQLError } from 'graphql';

/** The `extensions.code` values clients may see (docs/API-CONVENTIONS.md, "Error codes"). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes whose message is meant for the client; every other error is masked at the edge. */
const EXPECTED_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
]);

// Errors Apollo Server raises itself before execution; their messages name no data.
const APOLLO_REQUEST_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function isExpectedCode(code: unknown): boolean {
  return typeof code === 'string' && (EXPECTED_CODES.has(code) || APOLLO_REQUEST_CODES.has(code));
}

/** An input the caller can fix; `field` is the argument or input path at fault. */
export function badUserInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** A single thing the caller asked for by id does not exist (or is not theirs to know about). */
export function notFound(typename: string, id: string): GraphQLError {
  return new GraphQLError(`${typename} ${id} was not found`, { extensions: { code: 'NOT_FOUND', typename } });
}

/** The caller may not see this field or row; the rest of the query still answers. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** No valid credentials: the whole request is refused with HTTP 401. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export const MASKED_MESSAGE = 'Unexpected error';

import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { createLogger } from './logger.js';
import { formatErrorFor } from './subgraph-server.js';

const silent = createLogger('test', 'silent');

describe('subgraph error formatting', () => {
  const unexpected = { message: 'duplicate key value violates unique constraint "patient_mrn_key"', path: ['patient'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at ...'] } };

  test('masks an unexpected error in production: no message, no stack', () => {
    expect(formatErrorFor(true, silent)(unexpected, new GraphQLError(unexpected.message))).toEqual({
      message: 'Unexpected error',
      path: ['patient'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('keeps the message of an expected error', () => {
    const notFound = { message: 'Patient x was not found', path: ['patient'], extensions: { code: 'NOT_FOUND' } };
    expect(formatErrorFor(true, silent)(notFound, new GraphQLError(notFound.message))).toBe(notFound);
  });

  test('shows unexpected errors unmasked outside production, for developers', () => {
    expect(formatErrorFor(false, silent)(unexpected, new GraphQLError(unexpected.message))).toBe(unexpected);
  });
});

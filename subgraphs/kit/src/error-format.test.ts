import { GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { createLogger } from './logger.js';
import { formatErrorFor } from './subgraph-server.js';

const silent = createLogger('test', 'silent');

describe('subgraph error formatting', () => {
  const unexpected = {
    message: 'duplicate key value violates unique constraint "patient_mrn_key"',
    path: ['patient'],
    extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at ...'] },
  };

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

  test('shows unexpected errors unmasked outside production, for developers, but never their stack', () => {
    expect(formatErrorFor(false, silent)(unexpected, new GraphQLError(unexpected.message))).toEqual({
      message: unexpected.message,
      path: ['patient'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test('never sends the stack of an expected error, in any mode', () => {
    const refused = {
      message: 'This service answers only the ChartBridge gateway',
      extensions: { code: 'UNAUTHENTICATED', stacktrace: ['at /work/x.ts:1:1'] },
    };
    for (const mask of [true, false]) {
      expect(formatErrorFor(mask, silent)(refused, new GraphQLError(refused.message))).toEqual({
        message: refused.message,
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
  });
});

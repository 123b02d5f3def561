import { expect } from 'vitest';
import type { QueryOptions, TestPlatform } from './test-platform.js';

// The one way the end-to-end tests change data: a mutation through the gateway, whose answer is
// its result union's member.

/** A mutation's answer: the union member, with its `__typename`. */
export type MutationOutcome = { __typename: string; [key: string]: unknown };

/**
 * Runs a mutation with these variables on the platform as the caller and answers its one field;
 * fails the test on a GraphQL error.
 */
export async function answerOn<T extends { __typename: string } = MutationOutcome>(
  platform: TestPlatform,
  mutation: string,
  variables: Record<string, unknown>,
  options: QueryOptions = {},
): Promise<T> {
  const res = await platform.query<Record<string, T>>(mutation, variables, options);
  expect(res.errors).toBeUndefined();
  const outcome = res.data ? Object.values(res.data)[0] : undefined;
  if (!outcome) throw new Error('The mutation answered nothing');
  return outcome;
}

/** Runs a one-`input` mutation on the platform as the caller; fails the test on a GraphQL error. */
export function mutateOn<T extends { __typename: string } = MutationOutcome>(
  platform: TestPlatform,
  mutation: string,
  input: Record<string, unknown>,
  options: QueryOptions = {},
): Promise<T> {
  return answerOn<T>(platform, mutation, { input }, options);
}

/**
 * {@link mutateOn} on the platform a test file starts in its `beforeAll`, read when each mutation
 * runs: `const run = mutationsOn(() => platform)`.
 */
export function mutationsOn(platform: () => TestPlatform) {
  return <T extends { __typename: string } = MutationOutcome>(
    mutation: string,
    input: Record<string, unknown>,
    options: QueryOptions = {},
  ): Promise<T> => mutateOn<T>(platform(), mutation, input, options);
}

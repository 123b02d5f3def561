import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MutationError } from '../mutation-errors.js';

/**
 * The response extension in which a subgraph tells the gateway the codes of the error results its
 * mutations answered with (`FORBIDDEN` for a `ForbiddenError`, ...), so the gateway's request record
 * states how the request ended whatever the client selected: a client that asks for none of an
 * error member's fields, not even `__typename`, still gets a refusal recorded as one. The gateway
 * reads it and never passes a subgraph's extensions on to the client.
 */
export const ERROR_RESULTS_EXTENSION = 'chartbridgeErrorResults';

const codesOf = new WeakMap<object, Set<MutationError['code']>>();
const instrumented = new WeakSet<GraphQLSchema>();

function note(context: unknown, value: unknown): void {
  if (!(value instanceof MutationError) || typeof context !== 'object' || context === null) return;
  let codes = codesOf.get(context);
  if (!codes) {
    codes = new Set();
    codesOf.set(context, codes);
  }
  codes.add(value.code);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Wraps the resolver of every root mutation field once, so that a {@link MutationError} it answers
 * with (the `Error` members of a result union, the subgraph's own error types included) is noted
 * for the request. Root fields only: that is where this API answers expected failures as data.
 */
export function noteErrorResults(schema: GraphQLSchema): void {
  if (instrumented.has(schema)) return;
  instrumented.add(schema);
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      const result = resolve(source, args, context, info);
      if (!isPromiseLike(result)) {
        note(context, result);
        return result;
      }
      return Promise.resolve(result).then((value) => {
        note(context, value);
        return value;
      });
    };
  }
}

/** The codes of the error results noted for a request (see {@link noteErrorResults}). */
export function errorResultCodes(context: object): ReadonlyArray<MutationError['code']> {
  return [...(codesOf.get(context) ?? [])];
}

/** Adds the codes of the request's error results to its response, as {@link ERROR_RESULTS_EXTENSION}. */
export function errorResultsPlugin<Ctx extends BaseContext>(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const codes = errorResultCodes(contextValue);
          if (codes.length === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [ERROR_RESULTS_EXTENSION]: codes };
        },
      };
    },
  };
}

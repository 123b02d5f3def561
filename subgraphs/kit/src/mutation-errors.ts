import type { InterfaceRef, ObjectRef, UnionRef } from '@pothos/core';
import type { BaseBuilder, SubgraphBuilder, SubgraphTypes } from './builder.js';
import type { RequestContext } from './context.js';

/**
 * Expected failures of a mutation, returned as members of its result union (docs/API-CONVENTIONS.md,
 * "Mutations and errors as data"): each names its code and the input path at fault. A mutation that returns one of
 * these has changed nothing.
 */
export abstract class MutationError {
  abstract readonly code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';
  constructor(
    readonly message: string,
    /** The input path at fault, e.g. `input.validTo`; null when no single field is. */
    readonly field: string | null = null,
  ) {}
}

export class ValidationError extends MutationError {
  readonly code = 'BAD_USER_INPUT' as const;
}

export class NotFoundError extends MutationError {
  readonly code = 'NOT_FOUND' as const;
}

export class ConflictError extends MutationError {
  readonly code = 'CONFLICT' as const;
}

export class ForbiddenError extends MutationError {
  readonly code = 'FORBIDDEN' as const;
}

export const MUTATION_ERROR_CLASSES = [ValidationError, NotFoundError, ConflictError, ForbiddenError] as const;

const errorRefs = new WeakMap<object, ReturnType<typeof defineRefs>>();

function defineRefs(builder: BaseBuilder) {
  const ErrorInterface = builder.interfaceRef<MutationError>('Error').implement({
    description: 'An expected failure of a mutation. The mutation changed nothing.',
    fields: (t) => ({
      message: t.exposeString('message', { nullable: false, dataClass: 'reference' }),
      code: t.exposeString('code', { nullable: false, dataClass: 'reference' }),
      field: t.exposeString('field', {
        nullable: true,
        dataClass: 'reference',
        description: 'The input path at fault, e.g. `input.validTo`.',
      }),
    }),
  });
  return {
    Error: ErrorInterface,
    ValidationError: builder.objectRef<ValidationError>('ValidationError').implement({
      description: 'The input is malformed or breaks a rule (`BAD_USER_INPUT`).',
      interfaces: [ErrorInterface],
      // Both subgraphs answer with these: one shape, resolved by either.
      shareable: true,
      isTypeOf: (value) => value instanceof ValidationError,
    }),
    NotFoundError: builder.objectRef<NotFoundError>('NotFoundError').implement({
      description: 'Something the input names does not exist (`NOT_FOUND`).',
      interfaces: [ErrorInterface],
      // Both subgraphs answer with these: one shape, resolved by either.
      shareable: true,
      isTypeOf: (value) => value instanceof NotFoundError,
    }),
    ConflictError: builder.objectRef<ConflictError>('ConflictError').implement({
      description: 'The change conflicts with the current state (`CONFLICT`).',
      interfaces: [ErrorInterface],
      // Both subgraphs answer with these: one shape, resolved by either.
      shareable: true,
      isTypeOf: (value) => value instanceof ConflictError,
    }),
    ForbiddenError: builder.objectRef<ForbiddenError>('ForbiddenError').implement({
      description: 'The caller may not make this change (`FORBIDDEN`).',
      interfaces: [ErrorInterface],
      // Both subgraphs answer with these: one shape, resolved by either.
      shareable: true,
      isTypeOf: (value) => value instanceof ForbiddenError,
    }),
  };
}

export interface MutationErrorRefs<Ctx extends RequestContext> {
  /** The interface itself, for a subgraph's own error types that carry more than a message. */
  readonly Error: InterfaceRef<SubgraphTypes<Ctx>, MutationError>;
  readonly ValidationError: ObjectRef<SubgraphTypes<Ctx>, ValidationError>;
  readonly NotFoundError: ObjectRef<SubgraphTypes<Ctx>, NotFoundError>;
  readonly ConflictError: ObjectRef<SubgraphTypes<Ctx>, ConflictError>;
  readonly ForbiddenError: ObjectRef<SubgraphTypes<Ctx>, ForbiddenError>;
}

/** The `Error` interface and its four member types, defined once per builder. */
export function mutationErrorTypes<Ctx extends RequestContext>(subgraphBuilder: SubgraphBuilder<Ctx>): MutationErrorRefs<Ctx> {
  // See createSubgraphBuilder: the kit defines its types against the base context.
  const builder = subgraphBuilder as unknown as BaseBuilder;
  let refs = errorRefs.get(builder);
  if (!refs) {
    refs = defineRefs(builder);
    errorRefs.set(builder, refs);
  }
  return refs as unknown as MutationErrorRefs<Ctx>;
}

/** A mutation's own error type beyond the four: its GraphQL type and the class its service returns. */
export type ExtraMutationError<Ctx extends RequestContext> = readonly [
  ObjectRef<SubgraphTypes<Ctx>, MutationError>,
  abstract new (...args: never[]) => MutationError,
];

/**
 * A mutation's result union: its success type, the four error types and any of its own, told apart
 * by class (the success type by elimination; a mutation's own errors first, as they may extend one of
 * the four). One line a mutation: `type: mutationResult(builder, 'SignNoteResult', ClinicalNote)`, or
 * `mutationResult(builder, 'SubmitClaimResult', Claim, { errors: [[ClaimScrubErrorType, ClaimScrubError]] })`.
 */
export function mutationResult<Ctx extends RequestContext, T>(
  subgraphBuilder: SubgraphBuilder<Ctx>,
  name: string,
  success: ObjectRef<SubgraphTypes<Ctx>, T>,
  options: { readonly description?: string; readonly errors?: ReadonlyArray<ExtraMutationError<Ctx>> } = {},
): UnionRef<SubgraphTypes<Ctx>, T | MutationError, T | MutationError> {
  // See createSubgraphBuilder: the kit defines its types against the base context.
  const builder = subgraphBuilder as unknown as BaseBuilder;
  const errors = mutationErrorTypes(builder);
  const extra = (options.errors ?? []) as unknown as ReadonlyArray<
    readonly [ObjectRef<SubgraphTypes<RequestContext>, MutationError>, abstract new (...args: never[]) => MutationError]
  >;
  const byClass = [
    ...extra,
    [errors.ValidationError, ValidationError],
    [errors.NotFoundError, NotFoundError],
    [errors.ConflictError, ConflictError],
    [errors.ForbiddenError, ForbiddenError],
  ] as const;
  const union = builder.unionType(name, {
    ...(options.description ? { description: options.description } : {}),
    types: [success as unknown as ObjectRef<SubgraphTypes<RequestContext>, T>, ...byClass.map(([ref]) => ref)],
    resolveType: (value) => {
      if (!(value instanceof MutationError)) return success.name;
      const match = byClass.find(([, cls]) => value instanceof cls);
      if (!match) throw new Error(`${name} has no member for ${value.code}`);
      return match[0].name;
    },
  });
  return union as unknown as UnionRef<SubgraphTypes<Ctx>, T | MutationError, T | MutationError>;
}

import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Identity, type Role } from '@chartbridge/kit';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorCallbackConfiguration, GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  BREAK,
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LIST_SIZE_ARGUMENTS, operationCost, type ListSizes } from './operation-cost.js';
import { perDocument } from './per-document.js';

/** How large and how costly one operation may be, and who may introspect the schema in production. */
export interface RequestLimits {
  /**
   * Deepest nesting of fields. Default 10: the deepest query the clients make has 6
   * (`encounters.edges.node.patient.allergies.substance`: a connection adds two, `edges.node`), 10
   * still lets an encounter's notes lead to its patient's allergies (8), and the schema's cycles
   * (`clinicalNote.encounter.notes.encounter...`) cannot be nested without end.
   */
  readonly maxDepth: number;
  /**
   * Aliased fields per operation. Default 15: each alias runs its field again (a `patient(id:)`
   * alias flood is one lookup and one audit record per alias); a screen that needs more rows than
   * that reads a list.
   */
  readonly maxAliases: number;
  /**
   * Lexical tokens per document, counted by graphql-js's parser itself (`maxTokens`), so an
   * oversized document is dropped before it is parsed in full, inside the request pipeline (and so
   * audited like any refusal). Default 1000: the largest query the clients make has about 50 tokens
   * and the standard introspection query about 160.
   */
  readonly maxTokens: number;
  /**
   * GraphQL Armor's cost model (gateway/src/operation-cost.ts): 2 per object and 1 per scalar field,
   * each level of nesting weighing 1.5 times the one above, a selection multiplied by the list size
   * it asks for. The size is read from a variable exactly as from a literal, per request (a variable
   * left out takes its default in the operation, else the list's default; one that is not a whole
   * number counts as the largest page, 100), and a list given no size counts as its default page
   * (20). Default 10000: the costliest query the tests make (100 patients with their names) costs
   * about 2500, the README's joined query 790 for 5 encounters, so that one still passes for 60; for
   * 100 encounters (about 15800) a client pages.
   */
  readonly maxCost: number;
  /**
   * Directives per operation. Default 20: `@include`/`@skip` on a few optional sections of a screen;
   * a directive flood is evaluated on every field it sits on, row after row.
   */
  readonly maxDirectives: number;
  /** The roles that may introspect the schema in production. Default `admin` only. */
  readonly introspectionRoles: readonly Role[];
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = Object.freeze({
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 1000,
  maxCost: 10_000,
  maxDirectives: 20,
  introspectionRoles: Object.freeze(['admin'] as const),
});

export interface RequestLimitsOptions extends Partial<RequestLimits> {
  /**
   * In production introspection is reserved to {@link RequestLimits.introspectionRoles} and error
   * messages suggest no field names; elsewhere anyone may introspect. Default `true`: closed unless
   * told otherwise.
   */
  readonly production?: boolean;
}

/** What {@link useRequestLimits} adds to Apollo Server's `plugins`, `validationRules` and `parseOptions`. */
export interface RequestLimitsProtection<Ctx extends BaseContext> {
  readonly plugins: Array<ApolloServerPlugin<Ctx>>;
  readonly validationRules: ValidationRule[];
  readonly parseOptions: { readonly maxTokens: number };
}

/** GraphQL Armor words every refusal as a "Syntax Error", which these are not; the rest states the limit and what was found. */
function refusal(error: Error): GraphQLError {
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}

// Armor's own Apollo reporter says BAD_USER_INPUT; Apollo Server rewrites every validation error to
// GRAPHQL_VALIDATION_FAILED anyway, so the message is the part worth choosing.
const reportRefusal: GraphQLArmorRejectCallback = (context, error) => context?.reportError(refusal(error));
const asValidationError = (): GraphQLArmorCallbackConfiguration & { exposeLimits: boolean } => ({
  propagateOnRejection: false,
  onReject: [reportRefusal],
  exposeLimits: true,
});

const INTROSPECTION_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type']);

/** Whether any field of the document (fragments included) is `__schema` or `__type`; `__typename` is not introspection. */
const asksForSchema = perDocument((document): boolean => {
  let found = false;
  visit(document, {
    Field(node) {
      if (!INTROSPECTION_FIELDS.has(node.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
});

/** Whether any list size of the document (`first`, `last`) is a variable: its cost then depends on the request. */
const sizedByVariables = perDocument((document): boolean => {
  let found = false;
  visit(document, {
    Argument(node) {
      if (!LIST_SIZE_ARGUMENTS.has(node.name.value) || node.value.kind !== Kind.VARIABLE) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
});

const LIST_SIZES: ListSizes = Object.freeze({ defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE });

/**
 * Refuses an operation whose cost (see {@link RequestLimits.maxCost}) is over `maxCost`, before it is
 * planned, as `GRAPHQL_VALIDATION_FAILED` (HTTP 400) with Armor's message. Not a validation rule:
 * validation cannot see the variables, and Apollo Server validates a document once for every request
 * that sends it. An operation whose sizes are all literals is costed once.
 */
function costLimit<Ctx extends BaseContext>(maxCost: number): ApolloServerPlugin<Ctx> {
  const fixedCosts = new WeakMap<OperationDefinitionNode, number>();
  type Variables = Readonly<Record<string, unknown>>;
  const costOf = (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables) => {
    if (sizedByVariables(document, schema)) return operationCost(schema, document, operation, variables, LIST_SIZES);
    let cost = fixedCosts.get(operation);
    if (cost === undefined) {
      cost = operationCost(schema, document, operation, {}, LIST_SIZES);
      fixedCosts.set(operation, cost);
    }
    return cost;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          // Apollo Server has already refused a request whose operation it could not pick.
          if (!operation) return;
          const cost = costOf(schema, document, operation, request.variables ?? {});
          if (cost > maxCost) throw refusal(new Error(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`));
        },
      };
    },
  };
}

/**
 * Refuses introspection to callers whose role is not listed, with `FORBIDDEN` (HTTP 403). It runs
 * per request, after the identity is known: a validation rule could not see the caller, and Apollo
 * Server caches validated documents across callers.
 */
function introspectionPolicy<Ctx extends BaseContext & { readonly identity: Identity }>(roles: ReadonlySet<Role>): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          if (roles.has(contextValue.identity.role) || !asksForSchema(document, schema)) return;
          throw new GraphQLError('Introspection is not available to this role; the schema is published as schema/api.graphql', {
            extensions: { code: 'FORBIDDEN', http: { status: 403 } },
          });
        },
      };
    },
  };
}

/**
 * The gateway's limits on what one request may ask for, enforced before any subgraph is called:
 * depth, aliases and directives through GraphQL Armor, tokens through graphql-js's parser, and cost
 * per request with the variables (each refusal is `GRAPHQL_VALIDATION_FAILED`, HTTP 400, with a
 * message naming the limit), and
 * introspection by role in production (`FORBIDDEN`). Unset limits take {@link DEFAULT_REQUEST_LIMITS}.
 * Give Apollo Server `introspection: true` with these: the policy here decides who may.
 */
export function useRequestLimits<Ctx extends BaseContext & { readonly identity: Identity }>(
  options: RequestLimitsOptions = {},
): RequestLimitsProtection<Ctx> {
  const limits: RequestLimits = {
    maxDepth: options.maxDepth ?? DEFAULT_REQUEST_LIMITS.maxDepth,
    maxAliases: options.maxAliases ?? DEFAULT_REQUEST_LIMITS.maxAliases,
    maxTokens: options.maxTokens ?? DEFAULT_REQUEST_LIMITS.maxTokens,
    maxCost: options.maxCost ?? DEFAULT_REQUEST_LIMITS.maxCost,
    maxDirectives: options.maxDirectives ?? DEFAULT_REQUEST_LIMITS.maxDirectives,
    introspectionRoles: options.introspectionRoles ?? DEFAULT_REQUEST_LIMITS.introspectionRoles,
  };
  const production = options.production ?? true;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...asValidationError() },
    maxAliases: { n: limits.maxAliases, ...asValidationError() },
    // Costed per request by costLimit below, which reads list sizes from the variables too.
    costLimit: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...asValidationError() },
    // graphql-js counts tokens in its own parser (parseOptions below): no second parser here.
    maxTokens: { enabled: false },
    // Apollo Server's own plugin below does this job, and only in production.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    plugins: [
      costLimit<Ctx>(limits.maxCost),
      ...(production
        ? [
            introspectionPolicy<Ctx>(new Set(limits.introspectionRoles)),
            // "Did you mean ...?" would let a caller refused introspection rebuild the schema field by field.
            ApolloServerPluginDisableSuggestions(),
          ]
        : []),
    ],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

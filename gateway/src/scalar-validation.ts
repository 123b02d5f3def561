import type { ApolloServerPlugin } from '@apollo/server';
import { badUserInput, isIsoDate, parseDateTime } from '@chartbridge/kit';
import {
  BREAK,
  GraphQLError,
  TypeInfo,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { perDocument } from './per-document.js';

/** The custom scalars the gateway checks itself, by the rules the subgraphs apply. */
const SCALAR_CHECKS: Readonly<Record<string, { readonly ok: (value: string) => boolean; readonly rule: string }>> = {
  Date: { ok: isIsoDate, rule: 'a calendar date written YYYY-MM-DD' },
  DateTime: { ok: (v) => parseDateTime(v) !== undefined, rule: 'an RFC 3339 date-time with a time zone' },
};

function check(scalar: string, value: unknown, field: string): void {
  const rule = SCALAR_CHECKS[scalar];
  if (rule && (typeof value !== 'string' || !rule.ok(value))) throw badUserInput(`${field} must be ${rule.rule}`, field);
}

function checkVariable(type: GraphQLInputType, value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkVariable(inner.ofType, item, `${field}.${i}`));
    return;
  }
  if (isInputObjectType(inner)) {
    if (typeof value !== 'object') return;
    for (const [name, def] of Object.entries(inner.getFields())) {
      checkVariable(def.type, (value as Record<string, unknown>)[name], `${field}.${name}`);
    }
    return;
  }
  check(getNamedType(inner).name, value, field);
}

/** One check of a document, in the order the walk met it: a variable's value, or a bad literal found. */
type Check = { readonly variable: string; readonly type: GraphQLInputType } | { readonly literalError: GraphQLError };

/**
 * The checks of a document: its variables with their types, and the first malformed literal (the
 * walk stops there, as a request would). Literals depend on the document alone, so the walk is done
 * once per document (see perDocument); a request replays the list against its variables.
 */
function checksOf(document: DocumentNode, schema: GraphQLSchema): readonly Check[] {
  const checks: Check[] = [];
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type) as GraphQLInputType | undefined;
        if (type) checks.push({ variable: node.variable.name.value, type });
      },
      Argument: {
        enter(node) {
          path.push(node.name.value);
        },
        leave() {
          path.pop();
        },
      },
      ObjectField: {
        enter(node) {
          path.push(node.name.value);
        },
        leave() {
          path.pop();
        },
      },
      StringValue(node) {
        const type = typeInfo.getInputType();
        if (!type || path.length === 0) return undefined;
        try {
          check(getNamedType(type).name, node.value, path.join('.'));
          return undefined;
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          checks.push({ literalError: error });
          return BREAK;
        }
      },
    }),
  );
  return checks;
}

function validateOperation(checks: readonly Check[], variables: Record<string, unknown>): void {
  for (const c of checks) {
    if ('literalError' in c) throw c.literalError;
    checkVariable(c.type, variables[c.variable], c.variable);
  }
}

/**
 * Refuses malformed `Date` and `DateTime` values, in literals and in variables, before the query is
 * planned: the supergraph knows these scalars only by name, so without this check a bad date would
 * travel to a subgraph and come back as an opaque failure instead of `BAD_USER_INPUT` naming the field.
 */
export function scalarValidationPlugin(): ApolloServerPlugin {
  const checksFor = perDocument(checksOf);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          try {
            validateOperation(checksFor(document, schema), request.variables ?? {});
          } catch (error) {
            if (error instanceof GraphQLError) {
              throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
            }
            throw error;
          }
        },
      };
    },
  };
}

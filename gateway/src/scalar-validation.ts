import type { ApolloServerPlugin } from '@apollo/server';
import { badUserInput, isIsoDate, parseDateTime } from '@chartbridge/kit';
import {
  GraphQLError,
  TypeInfo,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

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

function validateOperation(schema: GraphQLSchema, document: Parameters<typeof visit>[0], variables: Record<string, unknown>): void {
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type) as GraphQLInputType | undefined;
        const name = node.variable.name.value;
        if (type) checkVariable(type, variables[name], name);
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
        if (type && path.length > 0) check(getNamedType(type).name, node.value, path.join('.'));
      },
    }),
  );
}

/**
 * Refuses malformed `Date` and `DateTime` values, in literals and in variables, before the query is
 * planned: the supergraph knows these scalars only by name, so without this check a bad date would
 * travel to a subgraph and come back as an opaque failure instead of `BAD_USER_INPUT` naming the field.
 */
export function scalarValidationPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          try {
            validateOperation(schema, document, request.variables ?? {});
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

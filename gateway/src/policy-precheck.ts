import type { ApolloServerPlugin } from '@apollo/server';
import { grantedClasses } from '@chartbridge/kit';
import type { PolicyManifest } from '@chartbridge/schema';
import { GraphQLError, TypeInfo, getNamedType, visit, visitWithTypeInfo } from 'graphql';
import type { GatewayContext } from './gateway-server.js';
import { perDocument } from './per-document.js';

/**
 * Refuses, before the query is planned and any subgraph called, an operation whose every data field
 * is certain to be denied to the caller: its class is not granted to the role for the purpose (a
 * partner's consent and a patient's row rules can only narrow that further, never widen it). Uses
 * the manifest `pnpm compose` publishes from the subgraphs' own declarations. An operation with at
 * least one field that may be allowed goes on: the subgraphs then answer field by field. Queries
 * only: a mutation's refusal is a typed result its resolver audits.
 */
export function policyPrecheckPlugin(manifest: PolicyManifest): ApolloServerPlugin<GatewayContext> {
  // The fields a document asks for, with their classes: the document's alone (see perDocument);
  // only the caller's grants are checked per request.
  const classifiedFields = perDocument((document, schema) => {
    const requested = new Set<string>();
    const typeInfo = new TypeInfo(schema);
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (parent && field) requested.add(`${getNamedType(parent).name}.${field.name}`);
        },
      }),
    );
    return [...requested].flatMap((key) => {
      const field = manifest.fields[key];
      return field ? [[key, field.dataClass] as const] : [];
    });
  });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema, operation }) {
          // Mutations answer a refusal as a typed result and audit the attempt themselves.
          if (operation?.operation !== 'query') return;
          const { identity } = contextValue;
          const classes = classifiedFields(document, schema);
          if (classes.length === 0) return;
          const granted = grantedClasses(identity.role, identity.purpose, identity.breakGlassReason !== null);
          const denied = classes.filter(([, dataClass]) => !granted.has(dataClass)).map(([key]) => key);
          if (denied.length === classes.length) {
            throw new GraphQLError(
              `Every field this operation asks for is denied to the ${identity.role} role for ${identity.purpose}: ${denied.sort().join(', ')}`,
              {
                extensions: { code: 'FORBIDDEN', http: { status: 403 } },
              },
            );
          }
        },
      };
    },
  };
}

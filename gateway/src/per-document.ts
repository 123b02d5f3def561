import type { DocumentNode, GraphQLSchema } from 'graphql';

/**
 * What `compute` finds in a document, remembered per document node. Apollo Server hands every
 * request of a cached document the same node, and the gateway's supergraph (the schema) is fixed
 * while it runs, so a walk of the document is done once, not on every request.
 */
export function perDocument<T>(
  compute: (document: DocumentNode, schema: GraphQLSchema) => T,
): (document: DocumentNode, schema: GraphQLSchema) => T {
  const known = new WeakMap<DocumentNode, { readonly value: T }>();
  return (document, schema) => {
    const hit = known.get(document);
    if (hit) return hit.value;
    const value = compute(document, schema);
    known.set(document, { value });
    return value;
  };
}

import type { ObjectRef } from '@pothos/core';
import type { BaseBuilder, SubgraphBuilder, SubgraphTypes } from './builder.js';
import type { RequestContext } from './context.js';
import type { Connection, Edge } from './pagination.js';

type PageInfo = Connection<unknown>['pageInfo'];

const pageInfoRefs = new WeakMap<object, ObjectRef<SubgraphTypes<RequestContext>, PageInfo>>();

/** Defines the Relay `PageInfo` type, shareable because every subgraph with a connection has it. */
export function definePageInfo(builder: BaseBuilder): void {
  const ref = builder.objectRef<PageInfo>('PageInfo').implement({
    description: 'Relay cursor pagination state of a connection.',
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage', { nullable: false, shareable: true, dataClass: 'reference' }),
      hasPreviousPage: t.exposeBoolean('hasPreviousPage', { nullable: false, shareable: true, dataClass: 'reference' }),
      startCursor: t.exposeString('startCursor', { nullable: true, shareable: true, dataClass: 'reference' }),
      endCursor: t.exposeString('endCursor', { nullable: true, shareable: true, dataClass: 'reference' }),
    }),
  });
  pageInfoRefs.set(builder, ref);
}

/**
 * Defines `<Name>Connection` and `<Name>Edge` for a node type (Relay cursor connections spec).
 * Resolvers return a {@link Connection} made by `toConnection`.
 */
export function connectionType<Ctx extends RequestContext, T>(
  subgraphBuilder: SubgraphBuilder<Ctx>,
  name: string,
  node: ObjectRef<SubgraphTypes<Ctx>, T>,
): ObjectRef<SubgraphTypes<Ctx>, Connection<T>> {
  // See createSubgraphBuilder: the kit defines its types against the base context.
  const builder = subgraphBuilder as unknown as BaseBuilder;
  const nodeRef = node as unknown as ObjectRef<SubgraphTypes<RequestContext>, T>;
  const pageInfo = pageInfoRefs.get(builder);
  if (!pageInfo) throw new Error('connectionType needs a builder made by createSubgraphBuilder');
  const edge = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { nullable: false, dataClass: 'reference' }),
      // `T` is opaque here; the edge hands back exactly the node the resolver put in it.
      node: t.field({ type: nodeRef, nullable: false, dataClass: 'reference', resolve: (e) => e.node as never }),
    }),
  });
  const connection = builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], nullable: false, dataClass: 'reference', resolve: (c) => [...c.edges] }),
      pageInfo: t.field({ type: pageInfo, nullable: false, dataClass: 'reference', resolve: (c) => c.pageInfo }),
    }),
  });
  return connection as unknown as ObjectRef<SubgraphTypes<Ctx>, Connection<T>>;
}

import { badUserInput, pageRequest, toConnection, type Connection, type SubgraphTypes } from '@chartbridge/kit';
import type { FieldRef, ObjectFieldBuilder, ObjectRef } from '@pothos/core';
import { builder } from '../../builder.js';
import type { PmsContext } from '../../context.js';

// Relay connections for report rows. The kit's connection types classify their structure as
// `reference`, a class the analyst role is not granted (it holds only `operational` and
// `financial`); report rows are financial through and through, their structure included.

type PageInfoShape = Connection<unknown>['pageInfo'];

const ReportPageInfo = builder.objectRef<PageInfoShape>('ReportPageInfo').implement({
  description: "Relay cursor pagination state of a report's rows (as PageInfo).",
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { nullable: false, dataClass: 'financial' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { nullable: false, dataClass: 'financial' }),
    startCursor: t.exposeString('startCursor', { nullable: true, dataClass: 'financial' }),
    endCursor: t.exposeString('endCursor', { nullable: true, dataClass: 'financial' }),
  }),
});

/**
 * `<Name>Connection` and `<Name>Edge` over report rows; the connection's shape may carry more (its
 * CSV's statement). Without `csv` the connection has no CSV field (the report's own has every row).
 */
export function reportConnection<T, Extra extends object>(
  name: string,
  node: ObjectRef<SubgraphTypes<PmsContext>, T>,
  csv?: (connection: Connection<T> & Extra) => string,
): ObjectRef<SubgraphTypes<PmsContext>, Connection<T> & Extra> {
  const edge = builder.objectRef<Connection<T>['edges'][number]>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { nullable: false, dataClass: 'financial' }),
      // `T` is opaque here (as in the kit's connectionType): the edge hands back the node the resolver put in it.
      node: t.field({ type: node, nullable: false, dataClass: 'financial', resolve: (e) => e.node as never }),
    }),
  });
  return builder.objectRef<Connection<T> & Extra>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], nullable: false, dataClass: 'financial', resolve: (c) => [...c.edges] }),
      pageInfo: t.field({ type: ReportPageInfo, nullable: false, dataClass: 'financial', resolve: (c) => c.pageInfo }),
      ...(csv
        ? {
            csv: t.string({
              nullable: false,
              dataClass: 'financial',
              description: "This page's rows as CSV (RFC 4180, a header row).",
              resolve: (c) => csv(c),
            }),
          }
        : {}),
    }),
  });
}

/**
 * A page of a list a report already holds, in the report's order (Relay forward pagination: `first`
 * up to 100, default 20). `keyOf` names each row uniquely; the cursor is the last row's key.
 */
export function listPage<T>(
  rows: readonly T[],
  args: { readonly first?: number | null; readonly after?: string | null },
  keyOf: (row: T) => string,
): Connection<T> {
  const page = pageRequest(args, ['text']);
  let start = 0;
  if (page.after) {
    const last = page.after[0];
    const index = rows.findIndex((row) => keyOf(row) === last);
    if (index < 0) throw badUserInput('after is not a cursor from this list', 'after');
    start = index + 1;
  }
  return toConnection(rows.slice(start, start + page.first + 1), page, (row) => [keyOf(row)]);
}

/**
 * A report's list as a paged field `name(first, after)`: the rows `rowsOf` gives, in their order,
 * through {@link listPage}; the report's CSV keeps them all. `nodeOf` dresses a row for the graph
 * (its drill filter, say), for the page's rows only: a report may hold tens of thousands.
 */
export function listPageField<Parent, Row, Node>(
  t: ObjectFieldBuilder<SubgraphTypes<PmsContext>, Parent>,
  connection: ObjectRef<SubgraphTypes<PmsContext>, Connection<Node>>,
  rowsOf: (parent: Parent) => readonly Row[],
  keyOf: (row: Row) => string,
  nodeOf: (parent: Parent, row: Row) => Node,
  description: string,
): FieldRef<SubgraphTypes<PmsContext>, unknown, 'Object'> {
  return t.field({
    type: connection,
    nullable: false,
    dataClass: 'financial',
    description: `${description}, a page at a time (first up to 100, default 20); the CSV has them all.`,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (parent, args) => {
      const page = listPage(rowsOf(parent), args, keyOf);
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: nodeOf(parent, e.node) })) };
    },
  });
}

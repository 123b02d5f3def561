import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import DataClassPlugin from './auth/data-class-plugin.js';
import type { RequestContext } from './context.js';
import { definePageInfo } from './connection-types.js';
import { defineMoney } from './money.js';
import { addScalars } from './scalars.js';

/** The Pothos type parameters every subgraph shares; only the context differs. */
export interface SubgraphSchemaTypes<Ctx extends RequestContext> {
  Context: Ctx;
  Scalars: {
    ID: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
  };
}

export type SubgraphTypes<Ctx extends RequestContext> = PothosSchemaTypes.ExtendDefaultTypes<SubgraphSchemaTypes<Ctx>>;
export type SubgraphBuilder<Ctx extends RequestContext> = PothosSchemaTypes.SchemaBuilder<SubgraphTypes<Ctx>>;
/** The builder as the kit's own definitions see it: with the base request context. */
export type BaseBuilder = SubgraphBuilder<RequestContext>;

/**
 * Makes a subgraph's Pothos builder with the plugins in the order they must wrap resolvers:
 * the read and write policy first (data classes, write actions), directives, federation last (it must see every field
 * the others produced).
 * The shared scalars and value types (`PageInfo`, `Money`) are defined on it. Fields are nullable unless they say otherwise
 * (Pothos 4's default, kept on purpose): a field a policy denies answers null with an error at its
 * path while the rest of the query answers.
 */
export function createSubgraphBuilder<Ctx extends RequestContext>(): SubgraphBuilder<Ctx> {
  const builder: BaseBuilder = new SchemaBuilder<SubgraphSchemaTypes<RequestContext>>({
    plugins: [DataClassPlugin, DirectivePlugin, FederationPlugin],
  });
  addScalars(builder);
  definePageInfo(builder);
  defineMoney(builder);
  // Only the context type narrows here. Nothing defined above reads the context, and TypeScript
  // cannot follow Pothos's conditional types through a generic context, hence the one cast.
  return builder as unknown as SubgraphBuilder<Ctx>;
}

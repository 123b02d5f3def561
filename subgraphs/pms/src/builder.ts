import { createSubgraphBuilder } from '@chartbridge/kit';
import type { PmsContext } from './context.js';

export const builder = createSubgraphBuilder<PmsContext>();

builder.queryType({});
builder.mutationType({});

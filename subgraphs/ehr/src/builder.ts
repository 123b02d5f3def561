import { createSubgraphBuilder } from '@chartbridge/kit';
import type { EhrContext } from './context.js';

export const builder = createSubgraphBuilder<EhrContext>();

builder.queryType({});
builder.mutationType({});

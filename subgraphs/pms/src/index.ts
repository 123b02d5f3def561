export { loadPmsConfig } from './config.js';
export type { PmsContext } from './context.js';
export { pmsSchema } from './schema/index.js';
export { startPmsSubgraph, type PmsSubgraphOptions } from './server.js';

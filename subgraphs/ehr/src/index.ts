export { loadEhrConfig, type EhrConfig } from './config.js';
export type { EhrContext } from './context.js';
export { ehrSchema } from './schema/index.js';
export { startEhrSubgraph, type EhrSubgraphOptions } from './server.js';

export { loadPmsConfig, loadReportsConfig, parseReportsConfig, type ReportsConfig } from './config.js';
export type { PmsContext } from './context.js';
export { pmsSchema } from './schema/index.js';
export { PracticeTimeZoneMismatchError, exitOnTimeZoneMismatch, startPmsSubgraph, type PmsSubgraphOptions } from './server.js';
export * from './reports/index.js';
export { describeSeed, seedPractice, type PracticeSeedOptions, type PracticeSeedSummary } from './seed/seed-practice.js';
export { SeededRandom } from './seed/seeded-random.js';

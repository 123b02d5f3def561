import type { PmsDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { pmsSchema } from './schema/index.js';

export type PmsSubgraphOptions = DatabaseSubgraphOptions<PmsDatabase>;

/** Starts the PMS subgraph's HTTP server on the given database. */
export function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  return startDatabaseSubgraph('pms', pmsSchema(), options);
}

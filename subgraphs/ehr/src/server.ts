import type { EhrDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { ehrSchema } from './schema/index.js';

export type EhrSubgraphOptions = DatabaseSubgraphOptions<EhrDatabase>;

/** Starts the EHR subgraph's HTTP server on the given database. */
export function startEhrSubgraph(options: EhrSubgraphOptions): Promise<RunningSubgraph> {
  return startDatabaseSubgraph('ehr', ehrSchema(), options);
}

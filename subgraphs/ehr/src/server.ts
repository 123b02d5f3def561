import type { EhrDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { EncounterDirectory } from './data/encounter-directory.js';
import { ehrSchema } from './schema/index.js';

export interface EhrSubgraphOptions extends DatabaseSubgraphOptions<EhrDatabase> {
  /** The PMS subgraph's GraphQL URL, where the EHR looks encounters up. */
  readonly pmsUrl: string;
}

/** Starts the EHR subgraph's HTTP server on the given database. */
export function startEhrSubgraph(options: EhrSubgraphOptions): Promise<RunningSubgraph> {
  const encounters = new EncounterDirectory(options.pmsUrl);
  return startDatabaseSubgraph('ehr', ehrSchema(), { ...options, extendContext: () => ({ encounters }) });
}

import type { FieldKeyring, PmsDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import type { PmsContext } from './context.js';
import { pmsSchema } from './schema/index.js';

export type PmsSubgraphOptions = Omit<DatabaseSubgraphOptions<PmsDatabase>, 'extendContext'> & {
  /** Opens patients' SSNs: it must hold every key their ciphertexts name. */
  readonly keyring: FieldKeyring;
};

/** Starts the PMS subgraph's HTTP server on the given database. */
export function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  const { keyring, ...rest } = options;
  return startDatabaseSubgraph<PmsDatabase, Pick<PmsContext, 'keyring'>>('pms', pmsSchema(), { ...rest, extendContext: () => ({ keyring }) });
}

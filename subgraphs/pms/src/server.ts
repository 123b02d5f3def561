import type { Database, PmsDatabase } from '@chartbridge/db';
import { baseContext, pingDatabase, startSubgraphServer, type Logger, type RunningSubgraph } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import type { PmsContext } from './context.js';
import { pmsSchema } from './schema/index.js';

export interface PmsSubgraphOptions {
  readonly database: Database<PmsDatabase>;
  readonly port: number;
  readonly host?: string;
  readonly production: boolean;
  readonly logger: Logger;
}

/** Starts the PMS subgraph's HTTP server on the given database. */
export function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  const { db } = options.database;
  return startSubgraphServer<PmsContext>({
    name: 'pms',
    schema: pmsSchema(),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    production: options.production,
    logger: options.logger,
    createContext: (_req, requestId) => ({ ...baseContext(requestId), db }),
    checkHealth: () => pingDatabase(db as Kysely<unknown>),
  });
}

import type { Database, EhrDatabase } from '@chartbridge/db';
import { baseContext, pingDatabase, startSubgraphServer, type Logger, type RunningSubgraph } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import type { EhrContext } from './context.js';
import { ehrSchema } from './schema/index.js';

export interface EhrSubgraphOptions {
  readonly database: Database<EhrDatabase>;
  readonly port: number;
  readonly host?: string;
  readonly production: boolean;
  readonly logger: Logger;
}

/** Starts the EHR subgraph's HTTP server on the given database. */
export function startEhrSubgraph(options: EhrSubgraphOptions): Promise<RunningSubgraph> {
  const { db } = options.database;
  return startSubgraphServer<EhrContext>({
    name: 'ehr',
    schema: ehrSchema(),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    production: options.production,
    logger: options.logger,
    createContext: (_req, requestId) => ({ ...baseContext(requestId), db }),
    checkHealth: () => pingDatabase(db as Kysely<unknown>),
  });
}

import type { FieldKeyring, PmsDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { loadPracticeTimeZone } from './config.js';
import type { PmsContext } from './context.js';
import { eventIntakeRoute } from './events/event-intake.js';
import { pmsSchema } from './schema/index.js';

export type PmsSubgraphOptions = Omit<DatabaseSubgraphOptions<PmsDatabase>, 'extendContext'> & {
  /** Opens patients' SSNs: it must hold every key their ciphertexts name. */
  readonly keyring: FieldKeyring;
  /** The practice's IANA time zone; PRACTICE_TIME_ZONE (default America/New_York) when absent. */
  readonly practiceTimeZone?: string;
};

/** Starts the PMS subgraph's HTTP server on the given database, with the EHR's event intake at `POST /events`. */
export function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  const { keyring, practiceTimeZone = loadPracticeTimeZone(), ...rest } = options;
  return startDatabaseSubgraph<PmsDatabase, Pick<PmsContext, 'keyring' | 'practiceTimeZone'>>('pms', pmsSchema(), {
    ...rest,
    routes: { ...rest.routes, '/events': eventIntakeRoute({ db: rest.database.db, internalKey: rest.internalKey, logger: rest.logger }) },
    extendContext: () => ({ keyring, practiceTimeZone }),
  });
}

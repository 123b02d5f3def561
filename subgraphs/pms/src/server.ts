import { useReportsTimeZone, type Database, type FieldKeyring, type PmsDatabase } from '@chartbridge/db';
import { startDatabaseSubgraph, type DatabaseSubgraphOptions, type RunningSubgraph } from '@chartbridge/kit';
import { loadPracticeTimeZone } from './config.js';
import type { PmsContext } from './context.js';
import { eventIntakeRoute } from './events/event-intake.js';
import type { PatientPseudonyms } from './reports/pseudonym.js';
import type { ReportsDatabase } from './reports/report-database.js';
import { pmsSchema } from './schema/index.js';

export type PmsSubgraphOptions = Omit<DatabaseSubgraphOptions<PmsDatabase>, 'extendContext'> & {
  /** Opens patients' SSNs: it must hold every key their ciphertexts name. */
  readonly keyring: FieldKeyring;
  /** The practice's IANA time zone; PRACTICE_TIME_ZONE (default America/New_York) when absent. */
  readonly practiceTimeZone?: string;
  /**
   * The revenue-cycle reports' connection (REPORTS_DATABASE_URL or the primary, as the read-only
   * `chartbridge_reports` role; its opener closes it) and the key of their patients' pseudonyms.
   */
  readonly reports: { readonly database: Database<ReportsDatabase>; readonly pseudonyms: PatientPseudonyms };
};

/**
 * Starts the PMS subgraph's HTTP server on the given database, with the EHR's event intake at
 * `POST /events`. First makes the practice's time zone the one the reports' A/R rollups are
 * computed for (recomputing them if it was another).
 */
export async function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  const { keyring, practiceTimeZone = loadPracticeTimeZone(), reports, ...rest } = options;
  const started = performance.now();
  if (await useReportsTimeZone(rest.database.db, practiceTimeZone)) {
    rest.logger.info('reports.time_zone_changed', { ms: Math.round(performance.now() - started) });
  }
  const reportsContext = { db: reports.database.db, pseudonyms: reports.pseudonyms, timeZone: practiceTimeZone };
  return startDatabaseSubgraph<PmsDatabase, Pick<PmsContext, 'keyring' | 'practiceTimeZone' | 'reports'>>('pms', pmsSchema(), {
    ...rest,
    routes: { ...rest.routes, '/events': eventIntakeRoute({ db: rest.database.db, internalKey: rest.internalKey, logger: rest.logger }) },
    extendContext: () => ({ keyring, practiceTimeZone, reports: reportsContext }),
  });
}

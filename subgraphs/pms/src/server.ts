import { startReportsTimeZone, type Database, type FieldKeyring, type PmsDatabase } from '@chartbridge/db';
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
 * The PMS's PRACTICE_TIME_ZONE is not the zone the database keeps the reports' A/R rollups for: it
 * refuses to start rather than recompute them as a side effect (two processes configured apart
 * would undo each other's at every start, writers of A/R waiting each time).
 */
export class PracticeTimeZoneMismatchError extends Error {
  override readonly name = 'PracticeTimeZoneMismatchError';
  constructor(
    readonly configured: string,
    readonly inForce: string,
  ) {
    super(
      `PRACTICE_TIME_ZONE is ${configured}, but this database's reports are kept for ${inForce}. ` +
        `If the practice has moved to ${configured}, run \`pnpm -s reports:time-zone -- ${configured}\` once (it recomputes A/R by day: 14 to 18 s at 100,000 patients, writers of A/R waiting), then start the PMS; otherwise set PRACTICE_TIME_ZONE=${inForce}.`,
    );
  }
}

/**
 * For an entry point (`pnpm start:pms`, `pnpm start`): a {@link PracticeTimeZoneMismatchError} is a
 * setting to fix, not a crash, so it is printed alone, after `command:`, and the process exits 1.
 * Anything else is thrown on.
 */
export function exitOnTimeZoneMismatch(command: string): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof PracticeTimeZoneMismatchError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exit(1);
  };
}

/**
 * Starts the PMS subgraph's HTTP server on the given database, with the EHR's event intake at
 * `POST /events`. First checks the practice's time zone against the one the reports' A/R rollups
 * are kept for: on a database with none yet it sets it (the first start), and on another one it
 * refuses with {@link PracticeTimeZoneMismatchError}.
 */
export async function startPmsSubgraph(options: PmsSubgraphOptions): Promise<RunningSubgraph> {
  const { keyring, practiceTimeZone = loadPracticeTimeZone(), reports, ...rest } = options;
  const started = performance.now();
  const { zone, set } = await startReportsTimeZone(rest.database.db, practiceTimeZone);
  if (zone !== practiceTimeZone) throw new PracticeTimeZoneMismatchError(practiceTimeZone, zone);
  if (set) rest.logger.info('reports.time_zone_set', { ms: Math.round(performance.now() - started) });
  const reportsContext = { db: reports.database.db, pseudonyms: reports.pseudonyms, timeZone: practiceTimeZone };
  return startDatabaseSubgraph<PmsDatabase, Pick<PmsContext, 'keyring' | 'practiceTimeZone' | 'reports'>>('pms', pmsSchema(), {
    ...rest,
    routes: { ...rest.routes, '/events': eventIntakeRoute({ db: rest.database.db, internalKey: rest.internalKey, logger: rest.logger }) },
    extendContext: () => ({ keyring, practiceTimeZone, reports: reportsContext }),
  });
}

import type { FieldKeyring, PmsDatabase } from '@chartbridge/db';
import type { RequestContext } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import type { ReportsContext } from './reports/report-database.js';

export interface PmsContext extends RequestContext {
  /** The PMS's own connection: on a real server it works as the `chartbridge_pms` role. */
  readonly db: Kysely<PmsDatabase>;
  /** Opens sealed PHI fields (patients' SSNs); the same for every request of the process. */
  readonly keyring: FieldKeyring;
  /** The practice's IANA time zone (PRACTICE_TIME_ZONE): schedules' days and dates of service. */
  readonly practiceTimeZone: string;
  /** The revenue-cycle reports' read-only connection and pseudonyms (reports/). */
  readonly reports: ReportsContext;
}

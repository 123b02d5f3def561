import type { EhrDatabase } from '@chartbridge/db';
import type { RequestContext } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import type { PmsDirectory } from './data/pms-directory.js';

export interface EhrContext extends RequestContext {
  /** The EHR's own connection: on a real server it works as the `chartbridge_ehr` role. */
  readonly db: Kysely<EhrDatabase>;
  /** Asks the PMS about encounters, patients and providers, on the caller's behalf (see data/pms-lookups.ts). */
  readonly pms: PmsDirectory;
}

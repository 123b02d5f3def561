import type { EhrDatabase } from '@chartbridge/db';
import type { RequestContext } from '@chartbridge/kit';
import type { Kysely } from 'kysely';

export interface EhrContext extends RequestContext {
  /** The EHR's own connection: on a real server it works as the `chartbridge_ehr` role. */
  readonly db: Kysely<EhrDatabase>;
}

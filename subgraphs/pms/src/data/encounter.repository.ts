import type { EncounterRow, PmsDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { liveConsentOf } from './sql-helpers.js';

export interface EncounterListQuery {
  readonly limit: number;
  /** Keyset position: the (service date, id) of the last row of the previous page. */
  readonly after?: readonly [serviceDate: string, id: string];
  readonly patientId?: string;
  readonly providerId?: string;
  /** Inclusive bounds on the date of service. */
  readonly from?: string;
  readonly to?: string;
  /** Restricts the list to patients with a live consent for this partner on `today`. */
  readonly consentedTo?: { readonly partnerId: string; readonly today: string };
}

export async function findEncountersByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<EncounterRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.encounter').selectAll().where('id', 'in', valid).execute();
}

/** One page of encounters, most recent date of service first, fetched `limit + 1` rows deep. */
export async function listEncounters(db: Kysely<PmsDatabase>, query: EncounterListQuery): Promise<EncounterRow[]> {
  let q = db.selectFrom('pms.encounter').selectAll();
  if (query.patientId) q = q.where('patient_id', '=', query.patientId);
  if (query.providerId) q = q.where('provider_id', '=', query.providerId);
  if (query.from) q = q.where('service_date', '>=', query.from);
  if (query.to) q = q.where('service_date', '<=', query.to);
  const consent = query.consentedTo;
  if (consent)
    q = q.where(({ exists, selectFrom }) =>
      exists(liveConsentOf(selectFrom, consent.partnerId, consent.today, 'pms.encounter.patient_id')),
    );
  if (query.after) {
    const [serviceDate, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('service_date', 'id'), '<', eb.tuple(serviceDate, id)));
  }
  return q
    .orderBy('service_date', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

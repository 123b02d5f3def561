import type { PatientRow, PmsDatabase } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import { escapeLike, liveConsentOf, uuidsOnly } from './sql-helpers.js';

export interface PatientListQuery {
  /** Rows to return; the repository fetches one more to tell whether a next page exists. */
  readonly limit: number;
  /** Keyset position: the (family name, id) of the last row of the previous page. */
  readonly after?: readonly [family: string, id: string];
  /** Family-name prefix or exact MRN, case-insensitive. */
  readonly search?: string;
  /** Restricts the list to this one patient (a patient reading their own record). */
  readonly onlyPatientId?: string;
  /** Restricts the list to patients with a live consent for this partner on `today`. */
  readonly consentedTo?: { readonly partnerId: string; readonly today: string };
}

/** The patients with these ids, in no particular order; unknown ids are simply absent. */
export async function findPatientsByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<PatientRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.patient').selectAll().where('id', 'in', valid).execute();
}

/** One page of patients ordered by family name then id, fetched `limit + 1` rows deep. */
export async function listPatients(db: Kysely<PmsDatabase>, query: PatientListQuery): Promise<PatientRow[]> {
  let q = db.selectFrom('pms.patient').selectAll();
  if (query.onlyPatientId) q = q.where('id', '=', query.onlyPatientId);
  const consent = query.consentedTo;
  if (consent) q = q.where(({ exists, selectFrom }) => exists(liveConsentOf(selectFrom, consent.partnerId, consent.today, 'pms.patient.id')));
  const search = query.search?.trim();
  if (search) {
    q = q.where((eb) =>
      eb.or([
        eb('mrn', '=', search.toUpperCase()),
        eb(eb.fn('lower', ['family_name']), 'like', `${escapeLike(search.toLowerCase())}%`),
      ]),
    );
  }
  if (query.after) {
    const [family, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('family_name', 'id'), '>', eb.tuple(family, id)));
  }
  return q.orderBy('family_name').orderBy('id').limit(query.limit + 1).execute();
}

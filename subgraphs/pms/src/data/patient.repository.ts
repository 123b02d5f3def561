import type { NewPatient, PatientRow, PatientTable, PmsDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction, type Updateable } from 'kysely';
import { escapeLike, liveConsentOf } from './sql-helpers.js';

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
  if (consent)
    q = q.where(({ exists, selectFrom }) => exists(liveConsentOf(selectFrom, consent.partnerId, consent.today, 'pms.patient.id')));
  const search = query.search?.trim();
  if (search) {
    q = q.where((eb) =>
      eb.or([eb('mrn', '=', search.toUpperCase()), eb(eb.fn('lower', ['family_name']), 'like', `${escapeLike(search.toLowerCase())}%`)]),
    );
  }
  if (query.after) {
    const [family, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('family_name', 'id'), '>', eb.tuple(family, id)));
  }
  return q
    .orderBy('family_name')
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
}

/** What a demographics change may set: every column but the row's identity and timestamps. */
export type PatientChanges = Omit<Updateable<PatientTable>, 'id' | 'mrn' | 'created_at' | 'updated_at'>;

/** Locks a patient's row until the transaction ends; undefined when there is none. */
export async function lockPatient(trx: Transaction<PmsDatabase>, id: string): Promise<PatientRow | undefined> {
  return trx.selectFrom('pms.patient').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Holds registrations of one family name and birth date back until the transaction ends, so two
 * desks registering the same person at once cannot both miss each other in the duplicate check.
 */
export async function lockRegistrationsOf(
  trx: Transaction<PmsDatabase>,
  probe: { readonly family: string; readonly birthDate: string },
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('pms.patient.register'), hashtext(lower(${probe.family}) || '|' || ${probe.birthDate}))`.execute(
    trx,
  );
}

/**
 * The patients who may be the same person: the same family name and first given name
 * (case-insensitive) and the same birth date, oldest registration first, at most `limit`.
 */
export async function findPossibleDuplicates(
  db: Kysely<PmsDatabase>,
  probe: { readonly family: string; readonly firstGiven: string; readonly birthDate: string },
  limit = 10,
): Promise<PatientRow[]> {
  return db
    .selectFrom('pms.patient')
    .selectAll()
    .where(sql<boolean>`lower(family_name) = lower(${probe.family})`)
    .where('birth_date', '=', probe.birthDate)
    .where(sql<boolean>`lower(given_names[1]) = lower(${probe.firstGiven})`)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The next number of the practice's MRN sequence (never handed out twice, even across transactions). */
export async function nextMrnNumber(trx: Transaction<PmsDatabase>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select nextval('pms.patient_mrn_seq') as n`.execute(trx);
  const n = rows[0]?.n;
  if (n === undefined) throw new Error('nextval returned no row');
  return n;
}

/**
 * Moves the MRN sequence past the highest `CB` number a patient already holds: rows written around
 * the sequence (the seed, an import) take numbers it has not handed out yet. Never moves it back
 * past a number this call drew.
 */
export async function skipTakenMrns(trx: Transaction<PmsDatabase>): Promise<void> {
  await sql`
    select setval('pms.patient_mrn_seq', greatest(
      nextval('pms.patient_mrn_seq'),
      coalesce((select max(substr(mrn, 3)::bigint) from pms.patient where mrn ~ '^CB[0-9]{8,18}$'), 0)))`.execute(trx);
}

/** Inserts a patient unless its MRN is taken; undefined when it is (nothing written). */
export async function insertPatientIfMrnFree(trx: Transaction<PmsDatabase>, row: NewPatient): Promise<PatientRow | undefined> {
  return trx
    .insertInto('pms.patient')
    .values(row)
    .onConflict((oc) => oc.column('mrn').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Changes a patient's demographics and stamps `updated_at`; the row must exist (lock it first). */
export async function updatePatient(trx: Transaction<PmsDatabase>, id: string, changes: PatientChanges): Promise<PatientRow> {
  return trx
    .updateTable('pms.patient')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

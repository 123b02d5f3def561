import type { ConsentRow, NewConsent, PartnerRow, PmsDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';

/** Live consents of one partner for these patients: not revoked, and in force on `today` (inclusive). */
export async function findLiveConsents(
  db: Kysely<PmsDatabase>,
  partnerId: string,
  patientIds: readonly string[],
  today: string,
): Promise<ConsentRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.consent')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('patient_id', 'in', valid)
    .where('revoked_at', 'is', null)
    .where('valid_from', '<=', today)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
    .execute();
}

/** Every consent of these patients, live and revoked, newest first within a patient. */
export async function findConsentsByPatientIds(db: Kysely<PmsDatabase>, patientIds: readonly string[]): Promise<ConsentRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.consent')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function findConsentById(db: Kysely<PmsDatabase>, id: string): Promise<ConsentRow | undefined> {
  return db.selectFrom('pms.consent').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPartnerById(db: Kysely<PmsDatabase>, id: string): Promise<PartnerRow | undefined> {
  return db.selectFrom('pms.partner').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The live consent of a partner for a patient, locked for update so concurrent changes serialize. */
export async function lockLiveConsent(
  trx: Transaction<PmsDatabase>,
  partnerId: string,
  patientId: string,
): Promise<ConsentRow | undefined> {
  return trx
    .selectFrom('pms.consent')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertConsent(trx: Transaction<PmsDatabase>, consent: NewConsent): Promise<ConsentRow> {
  return trx.insertInto('pms.consent').values(consent).returningAll().executeTakeFirstOrThrow();
}

/** Revokes a live consent; returns the revoked row, or undefined when it was not live. */
export async function revokeConsentRow(trx: Transaction<PmsDatabase>, id: string, revokedBy: string): Promise<ConsentRow | undefined> {
  return trx
    .updateTable('pms.consent')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: revokedBy })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

import type { AllergyRow, AllergyStatusRow, EhrDatabase, NewAllergy } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';

/** Every allergy recorded for these patients, oldest first within a patient. */
export async function findAllergiesByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<AllergyRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.allergy')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** The allergies recorded during these encounters (a visit's chart), in the order recorded within an encounter. */
export async function findAllergiesByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<AllergyRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.allergy')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** The recorded allergy statements ("no known drug allergies") of these patients; none for most. */
export async function findAllergyStatusByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<AllergyStatusRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.allergy_status').selectAll().where('patient_id', 'in', valid).execute();
}

/**
 * Serializes the changes that read a patient's allergies before writing (recording an allergy or
 * "no known drug allergies", prescribing against them) until the transaction ends: two of them can
 * never both decide on a chart the other is changing. The first key names the lock's purpose.
 */
export async function lockPatientAllergies(trx: Transaction<EhrDatabase>, patientId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('ehr.allergy'), hashtext(${patientId}))`.execute(trx);
}

export async function insertAllergy(trx: Transaction<EhrDatabase>, allergy: NewAllergy): Promise<AllergyRow> {
  return trx.insertInto('ehr.allergy').values(allergy).returningAll().executeTakeFirstOrThrow();
}

/** Records (or re-confirms, with a new time and author) that the patient has no known drug allergies. */
export async function upsertNoKnownDrugAllergies(
  trx: Transaction<EhrDatabase>,
  patientId: string,
  recordedBy: string,
): Promise<AllergyStatusRow> {
  return trx
    .insertInto('ehr.allergy_status')
    .values({ patient_id: patientId, status: 'no_known_drug_allergies', recorded_by: recordedBy })
    .onConflict((oc) =>
      oc.column('patient_id').doUpdateSet({ status: 'no_known_drug_allergies', recorded_by: recordedBy, recorded_at: sql<Date>`now()` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Withdraws a recorded allergy statement; returns it, or undefined when there was none. */
export async function deleteAllergyStatus(trx: Transaction<EhrDatabase>, patientId: string): Promise<AllergyStatusRow | undefined> {
  return trx.deleteFrom('ehr.allergy_status').where('patient_id', '=', patientId).returningAll().executeTakeFirst();
}

import type { EhrDatabase, NewPrescription, PrescriptionRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';

/** Every prescription of these patients, active and stopped, oldest first within a patient. */
export async function findPrescriptionsByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<PrescriptionRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.prescription')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every prescription written in these encounters, oldest first within an encounter. */
export async function findPrescriptionsByEncounterIds(
  db: Kysely<EhrDatabase>,
  encounterIds: readonly string[],
): Promise<PrescriptionRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.prescription')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** One prescription, locked for update so that concurrent changes to it serialize. */
export async function lockPrescription(trx: Transaction<EhrDatabase>, id: string): Promise<PrescriptionRow | undefined> {
  return trx.selectFrom('ehr.prescription').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertPrescription(trx: Transaction<EhrDatabase>, prescription: NewPrescription): Promise<PrescriptionRow> {
  return trx.insertInto('ehr.prescription').values(prescription).returningAll().executeTakeFirstOrThrow();
}

/** Stops an active prescription; returns the stopped row, or undefined when it was not active. */
export async function stopPrescriptionRow(
  trx: Transaction<EhrDatabase>,
  id: string,
  stoppedBy: string,
): Promise<PrescriptionRow | undefined> {
  return trx
    .updateTable('ehr.prescription')
    .set({ status: 'stopped', stopped_at: sql<Date>`now()`, stopped_by: stoppedBy })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

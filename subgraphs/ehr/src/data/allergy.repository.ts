import type { AllergyRow, EhrDatabase } from '@chartbridge/db';
import { isUuid } from '@chartbridge/kit';
import type { Kysely } from 'kysely';

/** Every allergy recorded for these patients, oldest first within a patient. */
export async function findAllergiesByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<AllergyRow[]> {
  const valid = patientIds.filter(isUuid);
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

import type { EhrDatabase, ImmunizationRow, NewImmunization } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';

/** Every immunization of these patients, the most recently given first within a patient. */
export async function findImmunizationsByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<ImmunizationRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.immunization')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('administered_on', 'desc')
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The immunizations recorded during these encounters (a visit's chart), in the order recorded within an encounter. */
export async function findImmunizationsByEncounterIds(
  db: Kysely<EhrDatabase>,
  encounterIds: readonly string[],
): Promise<ImmunizationRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.immunization')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

export async function insertImmunization(trx: Transaction<EhrDatabase>, immunization: NewImmunization): Promise<ImmunizationRow> {
  return trx.insertInto('ehr.immunization').values(immunization).returningAll().executeTakeFirstOrThrow();
}

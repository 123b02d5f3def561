import type { EhrDatabase, NewProblem, ProblemRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';

/** Every problem on these patients' lists, active and resolved, oldest first within a patient. */
export async function findProblemsByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<ProblemRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.problem')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** The problems added during these encounters (a visit's chart), in the order recorded within an encounter. */
export async function findProblemsByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ProblemRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.problem')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/**
 * Adds a problem; returns undefined, writing nothing, when it is active and the same code is already
 * active on the patient's list (the partial unique index decides, so concurrent recordings cannot both win).
 */
export async function insertProblem(trx: Transaction<EhrDatabase>, problem: NewProblem): Promise<ProblemRow | undefined> {
  return trx
    .insertInto('ehr.problem')
    .values(problem)
    .onConflict((oc) => oc.columns(['patient_id', 'code']).where('status', '=', 'active').doNothing())
    .returningAll()
    .executeTakeFirst();
}

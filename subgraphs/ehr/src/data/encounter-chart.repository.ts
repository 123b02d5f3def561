import type { EhrDatabase, ImmunizationRow, ProblemRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely } from 'kysely';

// The chart entries recorded during these encounters, for reading a visit as a whole. Each is one
// statement for any number of encounters, in the order the entries were recorded.

export async function findProblemsByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ProblemRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.problem').selectAll().where('encounter_id', 'in', valid).orderBy('encounter_id').orderBy('recorded_at').orderBy('id').execute();
}

export async function findImmunizationsByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ImmunizationRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.immunization').selectAll().where('encounter_id', 'in', valid).orderBy('encounter_id').orderBy('recorded_at').orderBy('id').execute();
}

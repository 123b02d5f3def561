import type { ClinicalNoteRow, EhrDatabase } from '@chartbridge/db';
import { isUuid } from '@chartbridge/kit';
import type { Kysely } from 'kysely';

export async function findNotesByIds(db: Kysely<EhrDatabase>, ids: readonly string[]): Promise<ClinicalNoteRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.clinical_note').selectAll().where('id', 'in', valid).execute();
}

/** Every note of these encounters, in the order they were started. */
export async function findNotesByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ClinicalNoteRow[]> {
  const valid = encounterIds.filter(isUuid);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.clinical_note')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

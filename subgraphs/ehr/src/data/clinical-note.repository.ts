import type { ClinicalNoteRow, EhrDatabase, NewClinicalNote, NoteAddendumRow, NoteAddendumTable, NoteKind } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';

export async function findNotesByIds(db: Kysely<EhrDatabase>, ids: readonly string[]): Promise<ClinicalNoteRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.clinical_note').selectAll().where('id', 'in', valid).execute();
}

/** Every note of these encounters, in the order they were started. */
export async function findNotesByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ClinicalNoteRow[]> {
  const valid = uuidsOnly(encounterIds);
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

export type SoapSections = Partial<Pick<ClinicalNoteRow, 'subjective' | 'objective' | 'assessment' | 'plan'>>;

/** Locks a note for a change in this transaction; undefined when it does not exist. */
export async function lockNote(trx: Transaction<EhrDatabase>, id: string): Promise<ClinicalNoteRow | undefined> {
  return trx.selectFrom('ehr.clinical_note').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertNote(trx: Transaction<EhrDatabase>, note: NewClinicalNote): Promise<ClinicalNoteRow> {
  return trx.insertInto('ehr.clinical_note').values(note).returningAll().executeTakeFirstOrThrow();
}

/** Changes a draft at the version the caller saw; undefined when the version moved on (optimistic concurrency). */
export async function updateDraft(
  trx: Transaction<EhrDatabase>,
  id: string,
  version: number,
  changes: SoapSections & { kind?: NoteKind },
): Promise<ClinicalNoteRow | undefined> {
  return trx
    .updateTable('ehr.clinical_note')
    .set({ ...changes, version: version + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
}

/** Signs a draft at the version the caller saw; the row is locked from then on (a trigger refuses changes). */
export async function markSigned(
  trx: Transaction<EhrDatabase>,
  id: string,
  version: number,
  signedBy: string,
): Promise<ClinicalNoteRow | undefined> {
  return trx
    .updateTable('ehr.clinical_note')
    .set({ status: 'signed', signed_at: sql<Date>`now()`, signed_by: signedBy, version: version + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
}

export async function insertAddendum(trx: Transaction<EhrDatabase>, addendum: Insertable<NoteAddendumTable>): Promise<NoteAddendumRow> {
  return trx.insertInto('ehr.note_addendum').values(addendum).returningAll().executeTakeFirstOrThrow();
}

/** An addendum with its note's kind: a behavioural-health note's addenda are as restricted as the note. */
export type AddendumWithKind = NoteAddendumRow & { readonly note_kind: NoteKind; readonly patient_id: string };

export async function findAddendaByNoteIds(db: Kysely<EhrDatabase>, noteIds: readonly string[]): Promise<AddendumWithKind[]> {
  const valid = uuidsOnly(noteIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.note_addendum as a')
    .innerJoin('ehr.clinical_note as n', 'n.id', 'a.note_id')
    .selectAll('a')
    .select(['n.kind as note_kind', 'n.patient_id'])
    .where('a.note_id', 'in', valid)
    .orderBy('a.note_id')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

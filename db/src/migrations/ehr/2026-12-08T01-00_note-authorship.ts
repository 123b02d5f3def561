import { sql, type Kysely } from 'kysely';

// Authorship binds to who acts. A note's author is the provider the caller's token names, or, when a
// nurse drafts it for a clinician, that clinician, with the nurse recorded as `drafted_by`. Only the
// author signs (no delegation): the signer of a note is its author, which the table now holds to for
// every signature from here on (`not valid`: rows signed before it are not re-checked).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ehr.clinical_note add column drafted_by uuid`.execute(db);
  await sql`comment on column ehr.clinical_note.drafted_by is 'The provider who drafted the note for its author (a nurse or scribe); null when the author wrote it'`.execute(
    db,
  );
  await sql`alter table ehr.clinical_note add constraint clinical_note_signed_by_author check (signed_by is null or signed_by = author_id) not valid`.execute(
    db,
  );
}

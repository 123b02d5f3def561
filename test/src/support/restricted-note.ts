import type { TestPlatform } from './test-platform.js';

/** The seed's first behavioural-health note, its patient, and another patient. */
export interface RestrictedNoteFixture {
  readonly restrictedNote: string;
  readonly patient: string;
  readonly family: string;
  readonly mrn: string;
  /** The first patient by id who is not the note's. */
  readonly other: string;
}

/** Finds the seed's first behavioural-health note (by id), its patient, and another patient. */
export async function restrictedNoteFixture(platform: TestPlatform): Promise<RestrictedNoteFixture> {
  const note = await platform.ehrDatabase.db
    .selectFrom('ehr.clinical_note')
    .select(['id', 'patient_id'])
    .where('kind', '=', 'behavioral_health')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const patient = await platform.pmsDatabase.db
    .selectFrom('pms.patient')
    .select(['id', 'family_name', 'mrn'])
    .where('id', '=', note.patient_id)
    .executeTakeFirstOrThrow();
  const other = await platform.pmsDatabase.db
    .selectFrom('pms.patient')
    .select('id')
    .where('id', '<>', patient.id)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { restrictedNote: note.id, patient: patient.id, family: patient.family_name, mrn: patient.mrn, other: other.id };
}

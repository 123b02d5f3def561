import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22T14-00_allergies-notes.js';
import * as m0002 from './2026-11-22T19-00_notes-coding-outbox.js';
import * as m0003 from './2026-11-22T19-10_allergy-problem-medication.js';
import * as m0004 from './2026-11-22T19-20_immunization-vitals-labs.js';
import * as m0005 from './2026-11-22T21-10_outbox-dead-letter.js';
import * as m0006 from './2026-11-22T22-30_outbox-by-encounter.js';
import * as m0007 from './2026-12-08T01-00_note-authorship.js';

/** The ehr schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const ehrMigrations: Record<string, Migration> = {
  '2026-11-22T14-00_allergies-notes': m0001,
  '2026-11-22T19-00_notes-coding-outbox': m0002,
  '2026-11-22T19-10_allergy-problem-medication': m0003,
  '2026-11-22T19-20_immunization-vitals-labs': m0004,
  '2026-11-22T21-10_outbox-dead-letter': m0005,
  '2026-11-22T22-30_outbox-by-encounter': m0006,
  '2026-12-08T01-00_note-authorship': m0007,
};

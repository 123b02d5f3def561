import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22T14-00_allergies-notes.js';

/** The ehr schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const ehrMigrations: Record<string, Migration> = {
  '2026-11-22T14-00_allergies-notes': m0001,
};

import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22T14-00_patients-providers-encounters.js';

/** The pms schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const pmsMigrations: Record<string, Migration> = {
  '2026-11-22T14-00_patients-providers-encounters': m0001,
};

import type { Migration } from 'kysely';
import * as m0001 from './2026-11-23T00-00_report-tables.js';

/** The reports schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const reportsMigrations: Record<string, Migration> = {
  '2026-11-23T00-00_report-tables': m0001,
};

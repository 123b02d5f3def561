import type { Migration } from 'kysely';
import * as m0001 from './2026-11-23T00-00_report-tables.js';
import * as m0002 from './2026-11-23T01-00_ar-by-day.js';

/** The reports schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const reportsMigrations: Record<string, Migration> = {
  '2026-11-23T00-00_report-tables': m0001,
  '2026-11-23T01-00_ar-by-day': m0002,
};

import type { Migration } from 'kysely';
import * as m0001 from './2026-11-23T00-00_report-tables.js';
import * as m0002 from './2026-11-23T01-00_ar-by-day.js';
import * as m0003 from './2026-12-07T00-00_start-time-zone.js';

/**
 * The reports schema's migrations, in order. Frozen once landed: a change to what they create is a new
 * file. (The one later edit, progress notices in the report-tables backfill, writes the same rows.)
 */
export const reportsMigrations: Record<string, Migration> = {
  '2026-11-23T00-00_report-tables': m0001,
  '2026-11-23T01-00_ar-by-day': m0002,
  '2026-12-07T00-00_start-time-zone': m0003,
};

import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22T14-00_audit-schema.js';
import * as m0002 from './2026-11-22T16-00_audit-trail.js';
import * as m0003 from './2026-11-22T23-00_reports-role.js';
import * as m0004 from './2026-12-08T02-00_request-outcomes.js';

/** The audit schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const auditMigrations: Record<string, Migration> = {
  '2026-11-22T14-00_audit-schema': m0001,
  '2026-11-22T16-00_audit-trail': m0002,
  '2026-11-22T23-00_reports-role': m0003,
  '2026-12-08T02-00_request-outcomes': m0004,
};

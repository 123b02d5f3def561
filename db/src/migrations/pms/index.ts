import type { Migration } from 'kysely';
import * as m0001 from './2026-11-22T14-00_patients-providers-encounters.js';
import * as m0002 from './2026-11-22T17-00_partner-consent.js';
import * as m0003 from './2026-11-22T18-00_patient-ssn.js';
import * as m0004 from './2026-11-22T20-00_scheduling.js';
import * as m0005 from './2026-11-22T21-00_coverage-eligibility.js';
import * as m0006 from './2026-11-22T21-10_claims.js';
import * as m0007 from './2026-11-22T22-00_payments.js';
import * as m0008 from './2026-11-22T22-10_patient-registration.js';
import * as m0009 from './2026-11-22T22-20_remittance-reversals.js';
import * as m0010 from './2026-11-22T23-10_report-indexes.js';
import * as m0011 from './2026-11-23T00-10_encounter-report-index.js';

/** The pms schema's migrations, in order. Frozen once landed: add new files, never edit these. */
export const pmsMigrations: Record<string, Migration> = {
  '2026-11-22T14-00_patients-providers-encounters': m0001,
  '2026-11-22T17-00_partner-consent': m0002,
  '2026-11-22T18-00_patient-ssn': m0003,
  '2026-11-22T20-00_scheduling': m0004,
  '2026-11-22T21-00_coverage-eligibility': m0005,
  '2026-11-22T21-10_claims': m0006,
  '2026-11-22T22-00_payments': m0007,
  '2026-11-22T22-10_patient-registration': m0008,
  '2026-11-22T22-20_remittance-reversals': m0009,
  '2026-11-22T23-10_report-indexes': m0010,
  '2026-11-23T00-10_encounter-report-index': m0011,
};

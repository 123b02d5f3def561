import { DATABASE_ROLES, createDatabase, migrateAll, type Database, type DatabaseTarget } from '@chartbridge/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let owner: Database<unknown>;
let target: DatabaseTarget;

beforeAll(async () => {
  database = await freshDatabase();
  target = database.kind === 'server' ? { kind: 'server', url: database.url, poolSize: 2 } : { kind: 'embedded', pglite: database.pglite };
  owner = createDatabase<unknown>({ target, applicationName: 'migrations-test' });
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

async function tablesOf(schema: string): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${schema} order by table_name`.execute(owner.db);
  return rows.map((r) => r.table_name);
}

describe('migrations', () => {
  test('bring an empty database up, each Postgres schema with its own migration table', async () => {
    const applied = await migrateAll(owner.db);
    expect(applied).toEqual([
      'pms/2026-11-22T14-00_patients-providers-encounters',
      'pms/2026-11-22T17-00_partner-consent',
      'pms/2026-11-22T18-00_patient-ssn',
      'pms/2026-11-22T20-00_scheduling',
      'pms/2026-11-22T21-00_coverage-eligibility',
      'pms/2026-11-22T21-10_claims',
      'pms/2026-11-22T22-00_payments',
      'pms/2026-11-22T22-10_patient-registration',
      'pms/2026-11-22T22-20_remittance-reversals',
      'pms/2026-11-22T23-10_report-indexes',
      'pms/2026-11-23T00-10_encounter-report-index',
      'ehr/2026-11-22T14-00_allergies-notes',
      'ehr/2026-11-22T19-00_notes-coding-outbox',
      'ehr/2026-11-22T19-10_allergy-problem-medication',
      'ehr/2026-11-22T19-20_immunization-vitals-labs',
      'ehr/2026-11-22T21-10_outbox-dead-letter',
      'ehr/2026-11-22T22-30_outbox-by-encounter',
      'ehr/2026-12-08T01-00_note-authorship',
      'audit/2026-11-22T14-00_audit-schema',
      'audit/2026-11-22T16-00_audit-trail',
      'audit/2026-11-22T23-00_reports-role',
      'audit/2026-12-08T02-00_request-outcomes',
      'reports/2026-11-23T00-00_report-tables',
      'reports/2026-11-23T01-00_ar-by-day',
      'reports/2026-12-07T00-00_start-time-zone',
    ]);
    expect(await tablesOf('pms')).toEqual([
      'appointment',
      'availability',
      'claim',
      'claim_appeal',
      'claim_diagnosis',
      'claim_line',
      'consent',
      'coverage',
      'eligibility_check',
      'encounter',
      'event_inbox',
      'fee_schedule',
      'kysely_migration',
      'kysely_migration_lock',
      'location',
      'partner',
      'patient',
      'patient_payment',
      'payer',
      'provider',
      'remittance',
      'remittance_adjustment',
      'remittance_line',
      'room',
    ]);
    expect(await tablesOf('ehr')).toEqual([
      'allergy',
      'allergy_status',
      'clinical_note',
      'code_reference',
      'diagnosis',
      'immunization',
      'kysely_migration',
      'kysely_migration_lock',
      'lab_order',
      'lab_result',
      'note_addendum',
      'outbox',
      'prescription',
      'problem',
      'procedure',
      'procedure_diagnosis',
      'vital_signs',
    ]);
    expect(await tablesOf('audit')).toEqual(['event', 'kysely_migration', 'kysely_migration_lock']);
    expect(await tablesOf('reports')).toEqual([
      'ar_day',
      'ar_day_total',
      'ar_span',
      'claim_day',
      'claim_fact',
      'compliance_finding',
      'daily',
      'daily_total',
      'denial',
      'encounter_daily',
      'encounter_fact',
      'encounter_monthly',
      'kysely_migration',
      'kysely_migration_lock',
      'monthly',
      'practice',
    ]);
  });

  test('apply nothing the second time', async () => {
    expect(await migrateAll(owner.db)).toEqual([]);
  });
});

describe.skipIf(!SERVER_URL)('database roles on a real server', () => {
  let pms: Database<unknown>;
  let ehr: Database<unknown>;

  beforeAll(() => {
    pms = createDatabase<unknown>({ target, role: DATABASE_ROLES.pms, applicationName: 'roles-test-pms' });
    ehr = createDatabase<unknown>({ target, role: DATABASE_ROLES.ehr, applicationName: 'roles-test-ehr' });
  });

  afterAll(async () => {
    await pms?.close();
    await ehr?.close();
  });

  test('each subgraph connection works as its own role', async () => {
    const who = async (db: Database<unknown>) =>
      (await sql<{ current_user: string }>`select current_user`.execute(db.db)).rows[0]?.current_user;
    expect(await who(pms)).toBe('chartbridge_pms');
    expect(await who(ehr)).toBe('chartbridge_ehr');
  });

  test('the PMS role reads and writes its own schema', async () => {
    await expect(sql`select count(*) from pms.patient`.execute(pms.db)).resolves.toBeDefined();
  });

  test.each([
    ['the PMS role', 'pms', sql`select * from ehr.allergy`],
    ['the EHR role', 'ehr', sql`select * from pms.patient`],
    ['the PMS role', 'pms', sql`create table pms.smuggled (id int)`],
    ['the EHR role', 'ehr', sql`drop table ehr.allergy`],
    ['the PMS role', 'pms', sql`delete from pms.eligibility_check`],
  ] as const)('%s is refused outside its rights', async (_who, role, statement) => {
    await expect(statement.execute((role === 'pms' ? pms : ehr).db)).rejects.toThrow(/permission denied|must be owner/);
  });

  test("a connection whose role does not exist fails instead of keeping the login's rights", async () => {
    const bogus = createDatabase<unknown>({ target, role: 'chartbridge_missing', applicationName: 'roles-test-missing' });
    try {
      await expect(sql`select 1`.execute(bogus.db)).rejects.toThrow(/role "chartbridge_missing" does not exist/);
    } finally {
      await bogus.close();
    }
  });
});

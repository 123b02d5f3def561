import { sql, type Kysely } from 'kysely';

// The revenue-cycle reports' role: read-only, and only on what the reports read. Reports run on
// their own connection (REPORTS_DATABASE_URL, a read replica, else the primary) that assumes this
// role, so a report can neither change a row nor read a patient's name, contact or SSN: the claim's
// patient id is all it sees of the patient. It reads the EHR's documentation facts (statuses, times,
// codes; never a note's text, granted column by column) for the compliance report.
//
// In the audit schema's migrations because they run last (SCHEMA_ORDER): every table named here
// exists by then.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      create role chartbridge_reports nologin;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  await sql`grant usage on schema pms, ehr to chartbridge_reports`.execute(db);
  await sql`
    grant select on
      pms.claim, pms.claim_line, pms.claim_diagnosis, pms.encounter, pms.payer, pms.location, pms.provider,
      pms.remittance, pms.remittance_line, pms.remittance_adjustment, pms.patient_payment,
      ehr.diagnosis, ehr.procedure, ehr.procedure_diagnosis
    to chartbridge_reports`.execute(db);
  await sql`grant select (id, encounter_id, location_id) on pms.appointment to chartbridge_reports`.execute(db);
  await sql`grant select (id, encounter_id, status, created_at, signed_at) on ehr.clinical_note to chartbridge_reports`.execute(db);
  await sql`grant select (id, note_id, changes_coding, created_at) on ehr.note_addendum to chartbridge_reports`.execute(db);
}

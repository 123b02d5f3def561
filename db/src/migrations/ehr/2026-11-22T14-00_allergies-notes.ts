import { sql, type Kysely } from 'kysely';

// The EHR owns clinical data. Patients, encounters and providers are PMS rows, referred to by id
// without foreign keys: the EHR's role has no rights on the pms schema, by design.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      create role chartbridge_ehr nologin;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  await sql`grant usage on schema ehr to chartbridge_ehr`.execute(db);

  await sql`
    create table ehr.allergy (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      substance text not null check (substance <> ''),
      reaction text,
      severity text check (severity in ('mild', 'moderate', 'severe')),
      status text not null check (status in ('active', 'inactive', 'resolved')),
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index allergy_patient_idx on ehr.allergy (patient_id, recorded_at, id)`.execute(db);

  await sql`
    create table ehr.clinical_note (
      id uuid primary key default gen_random_uuid(),
      encounter_id uuid not null,
      patient_id uuid not null,
      author_id uuid not null,
      kind text not null default 'progress'
        check (kind in ('progress', 'consult', 'procedure', 'behavioral_health')),
      status text not null check (status in ('draft', 'signed')),
      subjective text,
      objective text,
      assessment text,
      plan text,
      version integer not null default 1 check (version > 0),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      signed_at timestamptz,
      check ((status = 'signed') = (signed_at is not null))
    )`.execute(db);
  await sql`create index clinical_note_encounter_idx on ehr.clinical_note (encounter_id, created_at, id)`.execute(db);
  await sql`create index clinical_note_patient_idx on ehr.clinical_note (patient_id, created_at, id)`.execute(db);

  await sql`grant select, insert, update, delete on all tables in schema ehr to chartbridge_ehr`.execute(db);
}

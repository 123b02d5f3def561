import { sql, type Kysely } from 'kysely';

// The rest of the chart: allergies gain their class, category, encounter and author; the patient's
// drug-allergy status ("no known drug allergies" is a recorded statement, not a missing row); the
// problem list (ICD-10-CM); prescriptions, which are also the medication list. Patients, encounters
// and prescribers are PMS rows, referred to by id without foreign keys (the EHR's role has no rights
// on the pms schema). The checks repeat the services' validation, so that no other writer can store
// what the API would refuse.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Nullable: rows recorded before this migration have none of these; the API derives class and
  // category from the substance for them.
  await sql`
    alter table ehr.allergy
      add column allergen_class text check (allergen_class <> '' and allergen_class = lower(allergen_class)),
      add column category text check (category in ('medication', 'food', 'environment', 'biologic')),
      add column encounter_id uuid,
      add column recorded_by text`.execute(db);

  // One row per patient who was asked and has no known drug allergy (HL7 FHIR AllergyIntolerance,
  // "no known drug allergies" as an assertion). No row: nobody has stated it, the status is unknown.
  await sql`
    create table ehr.allergy_status (
      patient_id uuid primary key,
      status text not null check (status in ('no_known_drug_allergies')),
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table ehr.problem (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      encounter_id uuid,
      code text not null check (code ~ '^[A-Z][0-9][0-9A-Z]([.][0-9A-Z]{1,4})?$'),
      description text not null check (btrim(description) <> ''),
      status text not null check (status in ('active', 'resolved')),
      onset_date date,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index problem_patient_idx on ehr.problem (patient_id, recorded_at, id)`.execute(db);
  // A problem is on the list once while active; resolved episodes of it may repeat.
  await sql`create unique index problem_active_code_idx on ehr.problem (patient_id, code) where status = 'active'`.execute(db);

  await sql`
    create table ehr.prescription (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      encounter_id uuid,
      drug_name text not null check (btrim(drug_name) <> ''),
      rxnorm_code text check (rxnorm_code ~ '^[0-9]{1,8}$'),
      drug_class text check (drug_class <> '' and drug_class = lower(drug_class)),
      dose text not null check (btrim(dose) <> ''),
      route text not null check (route in ('PO', 'SL', 'IV', 'IM', 'SC', 'ID', 'TOP', 'TD', 'INH', 'NAS', 'OPH', 'OTIC', 'PR', 'PV')),
      frequency text not null check (btrim(frequency) <> ''),
      quantity integer not null check (quantity > 0),
      refills integer not null check (refills between 0 and 11),
      prescriber_id uuid not null,
      override_reason text check (btrim(override_reason) <> ''),
      status text not null default 'active' check (status in ('active', 'stopped')),
      recorded_by text not null,
      created_at timestamptz not null default now(),
      stopped_at timestamptz,
      stopped_by text,
      check ((status = 'stopped') = (stopped_at is not null)),
      check ((stopped_at is null) = (stopped_by is null))
    )`.execute(db);
  await sql`create index prescription_patient_idx on ehr.prescription (patient_id, created_at, id)`.execute(db);
  await sql`create index prescription_encounter_idx on ehr.prescription (encounter_id, created_at, id) where encounter_id is not null`.execute(
    db,
  );

  await sql`grant select, insert, update, delete on ehr.allergy_status, ehr.problem, ehr.prescription to chartbridge_ehr`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Observations on the chart: immunizations (CVX), vital signs and lab orders with their results
// (LOINC). Patients, encounters and providers are PMS rows, referred to by id without foreign keys
// (the EHR's role has no rights on the pms schema); a result's order is the EHR's own, so that one
// is a foreign key. The checks repeat the services' validation, so that no other writer can store
// what the API would refuse.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ehr.immunization (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      encounter_id uuid,
      cvx_code text not null check (cvx_code ~ '^[0-9]{1,3}$'),
      vaccine_name text not null check (vaccine_name <> ''),
      administered_on date not null,
      lot_number text check (lot_number <> ''),
      site text check (site <> ''),
      performer_id uuid,
      recorded_by text not null,
      recorded_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index immunization_patient_idx on ehr.immunization (patient_id, administered_on, id)`.execute(db);

  // Stored in one unit per measurement (mmHg, /min, Celsius, kg, cm; BMI in kg/m2), whatever unit
  // the caller entered: the API converts on the way in and names the unit on the way out.
  await sql`
    create table ehr.vital_signs (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      encounter_id uuid,
      taken_at timestamptz not null,
      systolic_mmhg smallint check (systolic_mmhg between 50 and 300),
      diastolic_mmhg smallint check (diastolic_mmhg between 20 and 200),
      heart_rate_per_min smallint check (heart_rate_per_min between 20 and 300),
      temperature_cel numeric(4, 2) check (temperature_cel between 25 and 45),
      weight_kg numeric(5, 2) check (weight_kg between 0.2 and 500),
      height_cm numeric(4, 1) check (height_cm between 20 and 275),
      bmi numeric(5, 1) check (bmi > 0),
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      check ((systolic_mmhg is null) = (diastolic_mmhg is null)),
      check (diastolic_mmhg < systolic_mmhg),
      check (num_nonnulls(systolic_mmhg, heart_rate_per_min, temperature_cel, weight_kg, height_cm) > 0)
    )`.execute(db);
  await sql`create index vital_signs_patient_idx on ehr.vital_signs (patient_id, taken_at desc, id desc)`.execute(db);
  await sql`create index vital_signs_encounter_idx on ehr.vital_signs (encounter_id, taken_at, id)`.execute(db);

  await sql`
    create table ehr.lab_order (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null,
      encounter_id uuid not null,
      ordering_provider_id uuid not null,
      loinc_code text not null check (loinc_code ~ '^[0-9]{1,7}-[0-9]$'),
      test_name text not null check (test_name <> ''),
      status text not null default 'ordered' check (status in ('ordered', 'resulted')),
      ordered_by text not null,
      ordered_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index lab_order_encounter_idx on ehr.lab_order (encounter_id, ordered_at, id)`.execute(db);
  await sql`create index lab_order_patient_idx on ehr.lab_order (patient_id, ordered_at, id)`.execute(db);

  // Flags are HL7 v2 table 0078 (abnormal flags) codes: N, L, H, LL, HH, A.
  await sql`
    create table ehr.lab_result (
      id uuid primary key default gen_random_uuid(),
      order_id uuid not null references ehr.lab_order (id),
      patient_id uuid not null,
      loinc_code text not null check (loinc_code ~ '^[0-9]{1,7}-[0-9]$'),
      value_numeric numeric,
      value_text text check (value_text <> ''),
      unit text check (unit <> ''),
      reference_low numeric,
      reference_high numeric,
      critical_low numeric,
      critical_high numeric,
      flag text check (flag in ('N', 'L', 'H', 'LL', 'HH', 'A')),
      critical boolean not null default false,
      observed_at timestamptz not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      check (num_nonnulls(value_numeric, value_text) = 1),
      check (value_numeric is null or unit is not null),
      check (reference_low is null or reference_high is null or reference_low <= reference_high),
      check (critical_low is null or critical_high is null or critical_low < critical_high)
    )`.execute(db);
  await sql`create index lab_result_order_idx on ehr.lab_result (order_id, observed_at, id)`.execute(db);
  await sql`create index lab_result_patient_idx on ehr.lab_result (patient_id, observed_at desc, id desc)`.execute(db);

  await sql`grant select, insert, update on ehr.immunization, ehr.vital_signs, ehr.lab_order, ehr.lab_result to chartbridge_ehr`.execute(
    db,
  );
}

import { sql, type Kysely } from 'kysely';

// The PMS owns registration (patients), the provider directory and the administrative side of the
// encounter. The EHR refers to these rows by id only: it holds no foreign keys into this schema.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      create role chartbridge_pms nologin;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  await sql`grant usage on schema pms to chartbridge_pms`.execute(db);

  await sql`
    create table pms.provider (
      id uuid primary key default gen_random_uuid(),
      npi char(10) not null unique check (npi ~ '^[0-9]{10}$'),
      given_names text[] not null check (cardinality(given_names) > 0),
      family_name text not null check (family_name <> ''),
      specialty text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index provider_name_idx on pms.provider (family_name, id)`.execute(db);

  await sql`
    create table pms.patient (
      id uuid primary key default gen_random_uuid(),
      mrn text not null unique check (mrn ~ '^[A-Z0-9-]{4,20}$'),
      given_names text[] not null check (cardinality(given_names) > 0),
      family_name text not null check (family_name <> ''),
      birth_date date not null,
      sex text not null check (sex in ('female', 'male', 'other', 'unknown')),
      phone text,
      email text,
      address_lines text[] not null default '{}',
      city text,
      state text,
      postal_code text,
      country text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index patient_name_idx on pms.patient (family_name, id)`.execute(db);
  await sql`create index patient_family_search_idx on pms.patient (lower(family_name) text_pattern_ops)`.execute(db);

  await sql`
    create table pms.encounter (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references pms.patient (id),
      provider_id uuid not null references pms.provider (id),
      service_date date not null,
      status text not null check (status in ('arrived', 'in_progress', 'finished', 'cancelled')),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index encounter_date_idx on pms.encounter (service_date desc, id desc)`.execute(db);
  await sql`create index encounter_patient_idx on pms.encounter (patient_id, service_date desc, id desc)`.execute(db);
  await sql`create index encounter_provider_idx on pms.encounter (provider_id, service_date desc, id desc)`.execute(db);

  await sql`grant select, insert, update, delete on all tables in schema pms to chartbridge_pms`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Partners (clearinghouses, patient apps, labs) see a patient's data only under that patient's
// consent: which data classes, for which period, until revoked. Revocation keeps the row (history).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pms.partner (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (name <> ''),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table pms.consent (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references pms.patient (id),
      partner_id text not null references pms.partner (id),
      data_classes text[] not null check (
        cardinality(data_classes) > 0
        and data_classes <@ array['demographic', 'contact', 'clinical', 'clinical_coding', 'coverage', 'financial']::text[]
      ),
      valid_from date not null,
      valid_to date check (valid_to is null or valid_to >= valid_from),
      recorded_by text not null,
      revoked_at timestamptz,
      revoked_by text,
      created_at timestamptz not null default now(),
      check ((revoked_at is null) = (revoked_by is null))
    )`.execute(db);
  // At most one live consent per patient and partner: a change revokes the old one and records a new one.
  await sql`create unique index consent_live_idx on pms.consent (partner_id, patient_id) where revoked_at is null`.execute(db);
  await sql`create index consent_patient_idx on pms.consent (patient_id, created_at)`.execute(db);

  await sql`grant select, insert, update on pms.partner, pms.consent to chartbridge_pms`.execute(db);
}

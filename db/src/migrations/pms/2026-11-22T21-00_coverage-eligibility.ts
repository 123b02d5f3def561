import { sql, type Kysely } from 'kysely';

// Insurance and eligibility: the payers the practice bills, each patient's coverages (primary and
// secondary, with their plan's copay and deductible) and every eligibility check made before a
// visit with what came back. Amounts are integer cents. A patient has at most one primary and one
// secondary coverage in force on any day: an exclusion constraint (btree_gist, installed by the
// scheduling migration) refuses overlapping effective periods of the same rank, whatever the number
// of concurrent requests. Checks are append-only for the application: they are the record of what
// a payer answered.
export async function up(db: Kysely<unknown>): Promise<void> {
  // payer_id is the payer's electronic id (the clearinghouse's, e.g. 5 alphanumerics), not our key.
  await sql`
    create table pms.payer (
      id uuid primary key default gen_random_uuid(),
      payer_id text not null unique check (payer_id ~ '^[A-Za-z0-9]{3,15}$'),
      name text not null check (name <> ''),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table pms.coverage (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references pms.patient (id),
      payer_id uuid not null references pms.payer (id),
      rank text not null check (rank in ('primary', 'secondary')),
      member_id text not null check (member_id ~ '^[A-Za-z0-9-]{3,30}$'),
      group_number text check (group_number is null or length(group_number) between 1 and 50),
      plan_name text check (plan_name is null or length(plan_name) between 1 and 200),
      subscriber_name text check (subscriber_name is null or length(subscriber_name) between 1 and 200),
      relationship text not null default 'self' check (relationship in ('self', 'spouse', 'child', 'other')),
      effective_from date not null,
      effective_to date,
      copay_cents integer check (copay_cents >= 0),
      deductible_cents integer check (deductible_cents >= 0),
      deductible_met_cents integer not null default 0 check (deductible_met_cents >= 0),
      created_by text not null,
      created_at timestamptz not null default now(),
      check (effective_to is null or effective_to >= effective_from),
      constraint coverage_rank_no_overlap exclude using gist (
        patient_id with =, rank with =, daterange(effective_from, effective_to, '[]') with &&
      )
    )`.execute(db);
  await sql`create index coverage_payer_idx on pms.coverage (payer_id)`.execute(db);

  // raw_response holds what the adapter answered, stripped of PHI (no names, member ids or dates).
  await sql`
    create table pms.eligibility_check (
      id uuid primary key default gen_random_uuid(),
      coverage_id uuid not null references pms.coverage (id),
      patient_id uuid not null references pms.patient (id),
      date_of_service date not null,
      checked_by text not null,
      checked_at timestamptz not null default now(),
      adapter text not null check (adapter <> ''),
      outcome text not null check (outcome in ('active', 'inactive', 'unknown')),
      copay_cents integer check (copay_cents >= 0),
      remaining_deductible_cents integer check (remaining_deductible_cents >= 0),
      message text check (message is null or length(message) <= 1000),
      raw_response jsonb not null default '{}'::jsonb
    )`.execute(db);
  await sql`create index eligibility_check_coverage_idx on pms.eligibility_check (coverage_id, checked_at desc)`.execute(db);
  await sql`create index eligibility_check_patient_day_idx on pms.eligibility_check (patient_id, date_of_service, checked_at desc)`.execute(
    db,
  );

  await sql`grant select, insert, update on pms.payer, pms.coverage to chartbridge_pms`.execute(db);
  await sql`grant select, insert on pms.eligibility_check to chartbridge_pms`.execute(db);
}

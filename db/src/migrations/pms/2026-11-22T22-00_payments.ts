import { sql, type Kysely } from 'kysely';

// Payments and A/R: payers' remittances (835 shape: per claim line the allowed and paid amounts and
// the adjustments, each with a group code and a CARC reason), patients' payments, and appeals of
// denied claims. A claim also remembers whom it was billed to and when, for A/R and its reports.
//
// Amounts are integer cents. A remittance is unique per payer and trace number (the payment's check
// or EFT number): posting it again finds the row and posts nothing.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table pms.claim
      add column payer_id uuid references pms.payer (id),
      add column coverage_id uuid references pms.coverage (id),
      add column location_id uuid references pms.location (id),
      add column submitted_at timestamptz,
      add column first_submitted_at timestamptz,
      -- No scrubbing finding at all (errors or warnings) at the first submission.
      add column first_submission_clean boolean,
      add column adjudicated_at timestamptz`.execute(db);
  await sql`create index claim_status_idx on pms.claim (status, first_submitted_at)`.execute(db);
  await sql`create index claim_payer_idx on pms.claim (payer_id, first_submitted_at)`.execute(db);
  await sql`create index claim_provider_idx on pms.claim (provider_id, created_at)`.execute(db);

  await sql`
    create table pms.remittance (
      id uuid primary key default gen_random_uuid(),
      payer_id uuid not null references pms.payer (id),
      trace_number text not null check (trace_number ~ '^[A-Za-z0-9-]{1,50}$'),
      payment_date date not null,
      total_paid_cents bigint not null,
      -- A hash of what was posted: the same trace posted with other content is a conflict, not a replay.
      content_hash text not null,
      posted_by text not null,
      posted_at timestamptz not null default now(),
      unique (payer_id, trace_number)
    )`.execute(db);
  await sql`create index remittance_payment_date_idx on pms.remittance (payment_date)`.execute(db);

  await sql`
    create table pms.remittance_line (
      id uuid primary key default gen_random_uuid(),
      remittance_id uuid not null references pms.remittance (id),
      claim_id uuid not null references pms.claim (id),
      claim_line_id uuid not null references pms.claim_line (id),
      payment_date date not null,
      allowed_cents bigint not null check (allowed_cents >= 0),
      paid_cents bigint not null check (paid_cents >= 0),
      patient_responsibility_cents bigint not null check (patient_responsibility_cents >= 0),
      denied boolean not null,
      unique (remittance_id, claim_line_id)
    )`.execute(db);
  await sql`create index remittance_line_claim_idx on pms.remittance_line (claim_id, payment_date)`.execute(db);
  await sql`create index remittance_line_date_idx on pms.remittance_line (payment_date, claim_id)`.execute(db);

  await sql`
    create table pms.remittance_adjustment (
      id uuid primary key default gen_random_uuid(),
      remittance_line_id uuid not null references pms.remittance_line (id),
      claim_id uuid not null references pms.claim (id),
      payment_date date not null,
      group_code text not null check (group_code in ('CO', 'PR', 'OI', 'PI')),
      reason_code text not null check (reason_code ~ '^[A-Z]?[0-9]{1,3}$'),
      amount_cents bigint not null check (amount_cents <> 0)
    )`.execute(db);
  await sql`create index remittance_adjustment_line_idx on pms.remittance_adjustment (remittance_line_id)`.execute(db);
  await sql`create index remittance_adjustment_claim_idx on pms.remittance_adjustment (claim_id, payment_date)`.execute(db);
  await sql`create index remittance_adjustment_date_idx on pms.remittance_adjustment (payment_date, group_code, reason_code)`.execute(db);

  await sql`
    create table pms.patient_payment (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references pms.patient (id),
      -- The claim it pays; null for a payment on account (a copay before the claim exists).
      claim_id uuid references pms.claim (id),
      amount_cents bigint not null check (amount_cents > 0),
      method text not null check (method in ('cash', 'check', 'card', 'other')),
      reference text check (reference is null or reference ~ '^[A-Za-z0-9-]{1,50}$'),
      received_on date not null,
      posted_by text not null,
      posted_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index patient_payment_patient_idx on pms.patient_payment (patient_id, received_on)`.execute(db);
  await sql`create index patient_payment_claim_idx on pms.patient_payment (claim_id) where claim_id is not null`.execute(db);
  await sql`create index patient_payment_date_idx on pms.patient_payment (received_on)`.execute(db);

  await sql`
    create table pms.claim_appeal (
      id uuid primary key default gen_random_uuid(),
      claim_id uuid not null references pms.claim (id),
      reason text not null check (length(reason) between 1 and 2000),
      appealed_by text not null,
      appealed_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index claim_appeal_claim_idx on pms.claim_appeal (claim_id, appealed_at)`.execute(db);

  await sql`grant select, insert on pms.remittance, pms.remittance_line, pms.remittance_adjustment, pms.patient_payment, pms.claim_appeal to chartbridge_pms`.execute(
    db,
  );
}

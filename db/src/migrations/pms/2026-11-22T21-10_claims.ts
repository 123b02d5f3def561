import { sql, type Kysely } from 'kysely';

// Charge capture: the practice's fee schedule and professional claims (837P shape) built from the
// EHR's `encounter.documented` events. A claim has its lines (one per documented procedure, at most
// 4 modifiers and 4 diagnosis pointers each) and its ICD-10-CM list (at most 12, the 837P's limit).
// The event inbox makes the consumer idempotent: an event id is recorded in the same transaction as
// the claim change it caused, so a redelivery finds it and changes nothing.

// The practice's own charges (synthetic, not a payer's allowed amounts), for common office codes.
// Codes only: CPT descriptions are the AMA's.
const FEES: ReadonlyArray<readonly [system: 'cpt' | 'hcpcs', code: string, cents: number]> = [
  ['cpt', '99202', 11000],
  ['cpt', '99203', 16000],
  ['cpt', '99204', 24000],
  ['cpt', '99205', 31500],
  ['cpt', '99211', 3500],
  ['cpt', '99212', 8000],
  ['cpt', '99213', 12500],
  ['cpt', '99214', 18000],
  ['cpt', '99215', 25000],
  ['cpt', '99385', 22000],
  ['cpt', '99386', 24000],
  ['cpt', '99395', 20000],
  ['cpt', '99396', 22000],
  ['cpt', '99401', 6000],
  ['cpt', '36415', 1500],
  ['cpt', '81002', 1200],
  ['cpt', '80053', 4500],
  ['cpt', '85025', 3000],
  ['cpt', '87804', 3500],
  ['cpt', '87880', 3000],
  ['cpt', '90471', 3000],
  ['cpt', '90686', 4000],
  ['cpt', '93000', 6000],
  ['cpt', '94640', 4500],
  ['cpt', '96372', 3500],
  ['cpt', '11102', 15000],
  ['cpt', '17110', 13000],
  ['cpt', '20610', 14000],
  ['cpt', '69210', 7500],
  ['hcpcs', 'G0008', 3000],
  ['hcpcs', 'G0009', 3000],
  ['hcpcs', 'G0438', 21000],
  ['hcpcs', 'G0439', 15000],
  ['hcpcs', 'G0442', 2500],
  ['hcpcs', 'G0444', 2500],
  ['hcpcs', 'J0696', 1500],
  ['hcpcs', 'J1100', 500],
  ['hcpcs', 'J1885', 800],
  ['hcpcs', 'J3301', 1200],
  ['hcpcs', 'Q0091', 5000],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // A fee is in force from its effective date until a later row for the same code replaces it.
  await sql`
    create table pms.fee_schedule (
      code_system text not null check (code_system in ('cpt', 'hcpcs')),
      code text not null,
      amount_cents integer not null check (amount_cents >= 0),
      effective_from date not null,
      created_at timestamptz not null default now(),
      primary key (code_system, code, effective_from)
    )`.execute(db);
  const fees = FEES.map(([system, code, cents]) => sql`(${system}, ${code}, ${cents}, date '2000-01-01')`);
  await sql`insert into pms.fee_schedule (code_system, code, amount_cents, effective_from) values ${sql.join(fees)}`.execute(db);

  await sql`
    create table pms.claim (
      id uuid primary key default gen_random_uuid(),
      encounter_id uuid not null references pms.encounter (id),
      patient_id uuid not null references pms.patient (id),
      provider_id uuid not null references pms.provider (id),
      status text not null default 'draft'
        check (status in ('draft', 'ready', 'submitted', 'accepted', 'rejected', 'paid', 'partially_paid', 'denied', 'appealed', 'void')),
      total_charge_cents bigint not null default 0 check (total_charge_cents >= 0),
      -- What charge capture could not settle (a code without a fee, more than 12 diagnoses): codes and line numbers only.
      capture_issues jsonb not null default '[]'::jsonb,
      -- The documented facts the lines were built from (the event's codes, ids and dates; no note text).
      snapshot jsonb not null,
      source_event_id uuid not null,
      -- When the EHR wrote that event: an older event delivered late never overwrites a newer one.
      source_event_at timestamptz not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // One live claim per encounter; a voided one may be followed by a new draft.
  await sql`create unique index claim_encounter_live_idx on pms.claim (encounter_id) where status <> 'void'`.execute(db);
  await sql`create index claim_encounter_idx on pms.claim (encounter_id, created_at, id)`.execute(db);
  await sql`create index claim_patient_idx on pms.claim (patient_id, created_at, id)`.execute(db);

  await sql`
    create table pms.claim_line (
      id uuid primary key default gen_random_uuid(),
      claim_id uuid not null references pms.claim (id) on delete cascade,
      line_number smallint not null check (line_number between 1 and 50),
      procedure_id uuid not null,
      procedure_code text not null,
      code_system text not null check (code_system in ('cpt', 'hcpcs')),
      display text not null,
      units integer not null check (units between 1 and 999),
      modifiers text[] not null default '{}' check (cardinality(modifiers) <= 4),
      charge_cents bigint not null check (charge_cents >= 0),
      service_date date not null,
      rendering_provider_id uuid not null,
      pointers smallint[] not null default '{}' check (cardinality(pointers) <= 4 and 1 <= all (pointers) and 12 >= all (pointers)),
      unique (claim_id, line_number)
    )`.execute(db);

  await sql`
    create table pms.claim_diagnosis (
      claim_id uuid not null references pms.claim (id) on delete cascade,
      position smallint not null check (position between 1 and 12),
      code text not null,
      description text not null,
      primary key (claim_id, position),
      unique (claim_id, code)
    )`.execute(db);

  // Every event received, once: its id is the key, so a redelivery cannot apply twice.
  await sql`
    create table pms.event_inbox (
      event_id uuid primary key,
      event_type text not null,
      aggregate_id uuid not null,
      occurred_at timestamptz not null,
      received_at timestamptz not null default now(),
      outcome text not null check (outcome in ('applied', 'stale', 'claim_not_draft')),
      claim_id uuid references pms.claim (id)
    )`.execute(db);
  await sql`create index event_inbox_aggregate_idx on pms.event_inbox (aggregate_id, received_at)`.execute(db);

  await sql`grant select on pms.fee_schedule to chartbridge_pms`.execute(db);
  await sql`grant select, insert, update on pms.claim, pms.event_inbox to chartbridge_pms`.execute(db);
  await sql`grant select, insert, update, delete on pms.claim_line, pms.claim_diagnosis to chartbridge_pms`.execute(db);
}

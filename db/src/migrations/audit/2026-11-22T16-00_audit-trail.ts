import { sql, type Kysely } from 'kysely';

// The audit trail: one append-only table holding three hash chains (gateway, pms, ehr). Each row
// carries the sha256 of its own columns and the previous row's hash, so an edit, a deletion or a
// forged row breaks the chain where `pnpm audit:verify` finds it.
//
// Two layers keep rows from changing. The roles may only select and insert. A trigger refuses
// UPDATE, DELETE and TRUNCATE to everyone, the owner included; it is enabled ALWAYS so that
// `session_replication_role = replica` does not silence it. An owner can still disable the
// trigger: that is what the hash chain is for.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      create role chartbridge_gateway nologin;
    exception when duplicate_object or unique_violation then null;
    end $$`.execute(db);
  await sql`grant usage on schema audit to chartbridge_gateway`.execute(db);

  await sql`
    create table audit.event (
      id uuid primary key default gen_random_uuid(),
      chain text not null check (chain in ('gateway', 'pms', 'ehr')),
      seq bigint not null check (seq > 0),
      at timestamptz not null default now(),
      request_id text not null,
      actor_id text not null,
      role text not null,
      client text,
      action text not null,
      operation_name text,
      operation_hash text,
      purpose text,
      outcome text not null check (outcome in ('success', 'denied', 'error', 'unauthenticated')),
      latency_ms integer,
      source_address text,
      patient_id uuid,
      data_classes text[] not null default '{}',
      break_glass boolean not null default false,
      break_glass_reason text,
      entity_type text,
      entity_id text,
      before_hash text,
      after_hash text,
      prev_hash text,
      hash text not null,
      unique (chain, seq),
      check ((seq = 1) = (prev_hash is null))
    )`.execute(db);
  // For auditEvents(patientId, actorId, from, to). Most gateway rows name no patient, hence partial.
  await sql`create index event_patient_idx on audit.event (patient_id, at) where patient_id is not null`.execute(db);
  await sql`create index event_actor_idx on audit.event (actor_id, at)`.execute(db);
  await sql`create index event_at_idx on audit.event (at)`.execute(db);

  await sql`
    create function audit.refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit.event is append-only: % refused', tg_op
        using hint = 'Audit rows are never changed or removed; append a new event instead.';
    end $$`.execute(db);
  await sql`
    create trigger event_refuse_change before update or delete on audit.event
      for each row execute function audit.refuse_change()`.execute(db);
  await sql`
    create trigger event_refuse_truncate before truncate on audit.event
      for each statement execute function audit.refuse_change()`.execute(db);
  await sql`alter table audit.event enable always trigger event_refuse_change`.execute(db);
  await sql`alter table audit.event enable always trigger event_refuse_truncate`.execute(db);

  await sql`grant select, insert on audit.event to chartbridge_pms, chartbridge_ehr, chartbridge_gateway`.execute(db);
}

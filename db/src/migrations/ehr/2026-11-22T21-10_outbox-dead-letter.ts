import { sql, type Kysely } from 'kysely';

// Outbox delivery: an event the relay gave up on (after its maximum number of attempts) is a dead
// letter, kept with its last error for an administrator to requeue; the relay skips it meanwhile.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ehr.outbox add column dead_at timestamptz`.execute(db);
  await sql`alter table ehr.outbox add constraint outbox_dead_or_published check (dead_at is null or published_at is null)`.execute(db);
  // The relay's poll: due events neither published nor dead.
  await sql`drop index ehr.outbox_pending_idx`.execute(db);
  await sql`create index outbox_due_idx on ehr.outbox (next_attempt_at) where published_at is null and dead_at is null`.execute(db);
  // The administrators' list of dead letters, most recent first.
  await sql`create index outbox_dead_idx on ehr.outbox (dead_at desc, id desc) where dead_at is not null`.execute(db);
}

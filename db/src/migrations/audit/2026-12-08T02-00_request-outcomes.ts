import { sql, type Kysely } from 'kysely';

// Request records that tell how a request ended and whose id it was.
//
// - More outcomes: a request answered with an error result (a mutation's `ForbiddenError`,
//   `ValidationError`, ...) or a GraphQL error is recorded as `denied`, `invalid`, `conflict`,
//   `not_found` or `error`, no longer as a success.
// - `correlation_id`: the caller's own id for the request. `request_id` is the gateway's, always
//   made by it, so no caller can put another request's id on its records. Hashed only when set
//   (audit-chain.ts), so the rows written before it keep their hashes.
//
// Both checks are added NOT VALID: every new row is checked, and the rows already there are not
// scanned while the migration holds the table (appends wait on it, and fail closed after 5 s). They
// hold by construction: the old outcome check was narrower, and the new column is null everywhere.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit.event add column correlation_id text`.execute(db);
  await sql`
    alter table audit.event add constraint event_correlation_id_check
      check (correlation_id is null or length(correlation_id) between 1 and 128) not valid`.execute(db);
  await sql`alter table audit.event drop constraint event_outcome_check`.execute(db);
  await sql`
    alter table audit.event add constraint event_outcome_check
      check (outcome in ('success', 'denied', 'unauthenticated', 'error', 'invalid', 'conflict', 'not_found')) not valid`.execute(db);
}

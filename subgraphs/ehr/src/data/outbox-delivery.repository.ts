import type { EhrDatabase, OutboxRow } from '@chartbridge/db';
import { sql, type Kysely, type Transaction } from 'kysely';

/** An outbox row as the relay delivers it. */
export type ClaimedEvent = Pick<OutboxRow, 'id' | 'event_type' | 'aggregate_id' | 'payload' | 'created_at' | 'attempts'>;

/**
 * Claims up to `limit` due events (neither published nor dead, next attempt reached), oldest
 * first, in one statement: `for update skip locked` keeps two relays off the same rows, and moving
 * their next attempt `leaseMs` ahead keeps them claimed while they are delivered, outside any
 * transaction (a transaction held across HTTP calls would hold the embedded database's single
 * session against the PMS it calls). A relay that dies mid-batch leaves its rows to be retried once
 * the lease ends: delivery is at least once.
 */
export async function claimDueEvents(db: Kysely<EhrDatabase>, limit: number, leaseMs: number): Promise<ClaimedEvent[]> {
  const { rows } = await sql<ClaimedEvent>`
    with due as (
      select id from ehr.outbox
       where published_at is null and dead_at is null and next_attempt_at <= now()
       order by next_attempt_at, created_at, id
       limit ${limit}
       for update skip locked
    )
    update ehr.outbox o set next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
      from due where o.id = due.id
    returning o.id, o.event_type, o.aggregate_id, o.payload, o.created_at, o.attempts`.execute(db);
  return rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || a.id.localeCompare(b.id));
}

export async function markPublished(db: Kysely<EhrDatabase>, id: string): Promise<void> {
  await db
    .updateTable('ehr.outbox')
    .set({ published_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt: its count, error, and either the next attempt's time or the end (dead letter). */
export async function markFailed(
  db: Kysely<EhrDatabase>,
  id: string,
  failure: { readonly attempts: number; readonly error: string; readonly retryInMs: number | null },
): Promise<void> {
  await db
    .updateTable('ehr.outbox')
    .set({
      attempts: failure.attempts,
      last_error: failure.error,
      ...(failure.retryInMs === null
        ? // Whole milliseconds: the dead letters' list pages on this time, and cursors carry JS dates.
          { dead_at: sql<Date>`date_trunc('milliseconds', now())` }
        : { next_attempt_at: sql<Date>`now() + make_interval(secs => ${failure.retryInMs / 1000})` }),
    })
    .where('id', '=', id)
    .execute();
}

/** A dead letter as administrators see it: ids, type, attempts and error; never the payload. */
export type DeadLetterRow = Pick<
  OutboxRow,
  'id' | 'event_type' | 'aggregate_id' | 'attempts' | 'last_error' | 'created_at' | 'next_attempt_at' | 'published_at' | 'dead_at'
>;

const DEAD_LETTER_COLUMNS = [
  'id',
  'event_type',
  'aggregate_id',
  'attempts',
  'last_error',
  'created_at',
  'next_attempt_at',
  'published_at',
  'dead_at',
] as const;

/** One page of dead letters, most recently dead first, fetched `limit + 1` rows deep. */
export async function listDeadLetters(
  db: Kysely<EhrDatabase>,
  query: { readonly limit: number; readonly after?: readonly [deadAt: string, id: string] },
): Promise<DeadLetterRow[]> {
  let q = db.selectFrom('ehr.outbox').select(DEAD_LETTER_COLUMNS).where('dead_at', 'is not', null);
  if (query.after) {
    const [deadAt, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('dead_at', 'id'), '<', eb.tuple(new Date(deadAt), id)));
  }
  return q
    .orderBy('dead_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

export async function lockOutboxEvent(trx: Transaction<EhrDatabase>, id: string): Promise<DeadLetterRow | undefined> {
  return trx.selectFrom('ehr.outbox').select(DEAD_LETTER_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Gives a dead letter a new set of attempts, due now; its last error stays until the next attempt. */
export async function requeueOutboxEvent(trx: Transaction<EhrDatabase>, id: string): Promise<DeadLetterRow> {
  return trx
    .updateTable('ehr.outbox')
    .set({ dead_at: null, attempts: 0, next_attempt_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returning(DEAD_LETTER_COLUMNS)
    .executeTakeFirstOrThrow();
}

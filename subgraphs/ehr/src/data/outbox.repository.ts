import type { EhrDatabase, OutboxRow } from '@chartbridge/db';
import type { Transaction } from 'kysely';

/** Writes an event to the outbox inside the caller's transaction: it exists exactly if the change does. */
export async function insertOutboxEvent(
  trx: Transaction<EhrDatabase>,
  event: { readonly eventType: string; readonly aggregateId: string; readonly payload: unknown },
): Promise<OutboxRow> {
  return trx
    .insertInto('ehr.outbox')
    .values({ event_type: event.eventType, aggregate_id: event.aggregateId, payload: JSON.stringify(event.payload) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

import { appendAudit, inTransaction } from '@chartbridge/db';
import {
  ConflictError,
  NotFoundError,
  authorizeChange,
  changeRecord,
  forbidden,
  writeDecision,
  type AccessControl,
  type MutationError,
} from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { lockOutboxEvent, requeueOutboxEvent, type DeadLetterRow } from '../data/outbox-delivery.repository.js';

/**
 * Throws FORBIDDEN unless the caller may requeue dead letters (the write policy's `outbox.requeue`:
 * administrators): who manages the outbox is who may list its dead letters.
 */
export function assertMayManageOutbox(access: AccessControl): void {
  if (!writeDecision(access.identity, 'outbox.requeue', null).allowed) throw forbidden('Dead letters are available to administrators only');
}

/** A dead letter's state as its audit record hashes it (times as ISO strings). */
function deadLetterState(row: DeadLetterRow): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const times = { created_at: iso(row.created_at), next_attempt_at: iso(row.next_attempt_at), published_at: iso(row.published_at) };
  return { ...row, ...times, dead_at: iso(row.dead_at) };
}

/**
 * Puts a dead letter back in the relay's queue with a fresh set of attempts, due now (an
 * administrator, once the cause is fixed), with its audit record in the same transaction. An outbox
 * event is tied to no one patient's row: the write policy decides it as such.
 */
export async function requeueDeadLetter(ctx: EhrContext, input: { readonly id: string }): Promise<DeadLetterRow | MutationError> {
  const { id } = input;
  const entity = { entityType: 'outbox_event', entityId: id };
  const refused = await authorizeChange(ctx, 'outbox.requeue', null, entity);
  if (refused) return refused;
  return inTransaction(ctx.db, async (trx) => {
    const before = await lockOutboxEvent(trx, id);
    if (!before) return new NotFoundError(`Outbox event ${id} was not found`, 'input.id');
    if (before.dead_at === null) return new ConflictError('The event is not a dead letter', 'input.id');
    const after = await requeueOutboxEvent(trx, id);
    const change = { ...entity, action: 'outbox.requeue', patientId: null, before: deadLetterState(before), after: deadLetterState(after) };
    await appendAudit(trx, 'ehr', [changeRecord(ctx, change)]);
    return after;
  });
}

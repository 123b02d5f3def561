import { appendAudit, contentHash, inTransaction, type EhrDatabase } from '@chartbridge/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, forbidden, isUuid, type AccessControl } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { lockOutboxEvent, requeueOutboxEvent, type DeadLetterRow } from '../data/outbox-delivery.repository.js';

/** Dead letters are operations' business: administrators only (clinicians hold `operational` too). */
export function mayManageOutbox(access: AccessControl): boolean {
  return access.identity.role === 'admin';
}

/** Throws FORBIDDEN unless the caller administers the outbox. */
export function assertMayManageOutbox(access: AccessControl): void {
  if (!mayManageOutbox(access)) throw forbidden('Dead letters are available to administrators only');
}

function deadLetterState(row: DeadLetterRow): string {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return contentHash({ ...row, created_at: iso(row.created_at), next_attempt_at: iso(row.next_attempt_at), published_at: iso(row.published_at), dead_at: iso(row.dead_at) });
}

/**
 * Puts a dead letter back in the relay's queue with a fresh set of attempts, due now (an
 * administrator, once the cause is fixed), with its audit record in the same transaction.
 */
export async function requeueDeadLetter(
  db: Kysely<EhrDatabase>,
  access: AccessControl,
  requestId: string,
  input: { readonly id: string },
): Promise<DeadLetterRow | ValidationError | NotFoundError | ConflictError | ForbiddenError> {
  if (!isUuid(input.id)) return new ValidationError('id is not a valid id', 'input.id');
  const id = input.id.toLowerCase();
  const { identity } = access;
  const base = { requestId, actorId: identity.subject, role: identity.role, client: identity.client, purpose: identity.purpose, entityType: 'outbox_event', entityId: id };
  if (!mayManageOutbox(access)) {
    await appendAudit(db, 'ehr', [{ ...base, action: 'outbox.requeue', outcome: 'denied' }]);
    return new ForbiddenError('Only administrators requeue dead letters');
  }
  return inTransaction(db, async (trx) => {
    const before = await lockOutboxEvent(trx, id);
    if (!before) return new NotFoundError(`Outbox event ${id} was not found`, 'input.id');
    if (before.dead_at === null) return new ConflictError('The event is not a dead letter', 'input.id');
    const after = await requeueOutboxEvent(trx, id);
    await appendAudit(trx, 'ehr', [{ ...base, action: 'outbox.requeue', outcome: 'success', beforeHash: deadLetterState(before), afterHash: deadLetterState(after) }]);
    return after;
  });
}

import { appendAudit, contentHash, type AuditRecord } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import type { RequestContext } from '../context.js';
import { ForbiddenError } from '../mutation-errors.js';
import { writeDecision, writeRule, type WriteAction } from './write-policy.js';

/** What a change needs of its request: the caller, and the subgraph's connection for the audit. */
export interface ChangeContext<DB> extends RequestContext {
  readonly db: Kysely<DB>;
}

/** The caller's part of every audit record a change writes. */
export function auditBase(ctx: RequestContext): Pick<AuditRecord, 'requestId' | 'actorId' | 'role' | 'client' | 'purpose'> {
  const { identity } = ctx.access;
  return { requestId: ctx.requestId, actorId: identity.subject, role: identity.role, client: identity.client, purpose: identity.purpose };
}

export interface ChangeTarget<DB> {
  /** The transaction the change runs in, when the decision is made inside it. */
  readonly db?: Kysely<DB>;
  readonly entityType?: string | null;
  readonly entityId?: string | null;
  /** What the attempt would have written, for a refusal's record; the action's classes by default. */
  readonly dataClasses?: readonly string[];
}

/**
 * The one gate of every change: decides by the write policy (role, purpose, the break-the-glass
 * reason where the change needs one, and the row) whether the caller may make `action` on the
 * patient's row (null: a change tied to no one patient). A refusal is recorded in the owner's audit
 * chain and returned as a {@link ForbiddenError} whose message names no value of the record; an
 * allowed change is noted on the request, and {@link changeRecord} writes nothing without it.
 */
export async function authorizeChange<DB>(
  ctx: ChangeContext<DB>,
  action: WriteAction,
  patientId: string | null,
  target: ChangeTarget<NoInfer<DB>> = {},
): Promise<ForbiddenError | null> {
  const identity = ctx.access.identity;
  const patient = patientId?.toLowerCase() ?? null;
  const decision = writeDecision(identity, action, patient);
  const reachable = patient === null || ctx.access.canReachPatient(patient);
  if (decision.allowed && reachable) {
    ctx.access.noteChangeAuthorized(action, patient);
    return null;
  }
  await appendAudit(target.db ?? ctx.db, writeRule(action).owner, [
    {
      ...auditBase(ctx),
      action,
      outcome: 'denied',
      patientId: patient,
      dataClasses: target.dataClasses ?? writeRule(action).classes,
      entityType: target.entityType ?? null,
      entityId: target.entityId ?? null,
    },
  ]);
  return new ForbiddenError(decision.allowed ? "This patient's record is not available to you" : decision.reason);
}

export interface Change {
  /** What happened, dotted (`note.update`, or a consequence such as `allergy_status.withdraw`). */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly patientId: string | null;
  /** The row before and after the change (null when it did not exist): only their hashes are kept. */
  readonly before: unknown;
  readonly after: unknown;
  readonly dataClasses?: readonly string[];
  /** The change needed the break-the-glass reason (it lowered a record's protection): flag it. */
  readonly breakGlass?: boolean;
}

/**
 * The audit record of a change: who, what, whose, and the before/after content hashes (no PHI in
 * clear). It refuses (throws, so the change's transaction rolls back) unless {@link authorizeChange}
 * allowed a change on the same patient's row, or on no row (a grant on all rows), in this request: no change is recorded, and so none
 * commits, around the write policy. A change that needed the break-the-glass reason is flagged with it.
 */
export function changeRecord(ctx: RequestContext, change: Change): AuditRecord {
  // Allowed with no row named (only a grant on all rows allows that), or on this very row.
  if (!ctx.access.changeAuthorizedFor(null) && !ctx.access.changeAuthorizedFor(change.patientId)) {
    throw new Error(`${change.action} was not authorized through the write policy`);
  }
  const reason = change.breakGlass ? ctx.access.identity.breakGlassReason : null;
  return {
    ...auditBase(ctx),
    action: change.action,
    outcome: 'success',
    patientId: change.patientId,
    entityType: change.entityType,
    entityId: change.entityId,
    dataClasses: change.dataClasses ?? [],
    breakGlass: reason !== null,
    breakGlassReason: reason,
    beforeHash: change.before === null ? null : contentHash(change.before),
    afterHash: change.after === null ? null : contentHash(change.after),
  };
}

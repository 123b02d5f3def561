import { appendAudit, contentHash, type AuditRecord, type EhrDatabase } from '@chartbridge/db';
import { ForbiddenError, NotFoundError } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';
import type { EhrContext } from '../context.js';
import type { EncounterFacts } from '../data/encounter-directory.js';

/** Roles that write the chart (under TREATMENT, the only purpose their policy has). */
export function mayDocument(ctx: EhrContext): boolean {
  return ctx.access.identity.role === 'clinician' || ctx.access.identity.role === 'nurse';
}

/** Only a clinician signs and amends clinical documentation. */
export function maySign(ctx: EhrContext): boolean {
  return ctx.access.identity.role === 'clinician';
}

function base(ctx: EhrContext) {
  const { identity } = ctx.access;
  return { requestId: ctx.requestId, actorId: identity.subject, role: identity.role, client: identity.client, purpose: identity.purpose };
}

/** The audit record of a change: what, whose, and the before/after content hashes (no PHI in clear). */
export function changeRecord(
  ctx: EhrContext,
  change: { action: string; entityType: string; entityId: string; patientId: string; before: unknown; after: unknown },
): AuditRecord {
  return {
    ...base(ctx),
    action: change.action,
    outcome: 'success',
    patientId: change.patientId,
    entityType: change.entityType,
    entityId: change.entityId,
    dataClasses: ['clinical'],
    beforeHash: change.before === null ? null : contentHash(change.before),
    afterHash: change.after === null ? null : contentHash(change.after),
  };
}

/** Records a refused change attempt and returns the typed refusal. */
export async function refuse(
  ctx: EhrContext,
  action: string,
  message: string,
  patientId: string | null = null,
  db: Kysely<EhrDatabase> | Transaction<EhrDatabase> = ctx.db,
): Promise<ForbiddenError> {
  await appendAudit(db, 'ehr', [{ ...base(ctx), action, outcome: 'denied', patientId }]);
  return new ForbiddenError(message);
}

/** The encounter as the PMS knows it, or the typed error naming `field`. */
export async function requireEncounter(ctx: EhrContext, encounterId: string, field: string, action: string): Promise<EncounterFacts | NotFoundError | ForbiddenError> {
  const found = await ctx.encounters.find(encounterId, ctx);
  if (found.kind === 'not_found') return new NotFoundError(`Encounter ${encounterId} was not found`, field);
  if (found.kind === 'forbidden') return refuse(ctx, action, "This patient's encounter is not available to you");
  return found.encounter;
}

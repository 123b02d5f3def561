import { appendAudit, inTransaction, type ConsentRow } from '@chartbridge/db';
import { type MutationError, ConflictError, NotFoundError, ValidationError, authorizeChange, changeRecord } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findConsentById, findPartnerById, insertConsent, lockLiveConsent, revokeConsentRow } from '../data/consent.repository.js';
import { findPatientsByIds } from '../data/patient.repository.js';

/** The classes a patient may consent to share with a partner (never identifiers or restricted notes). */
export const CONSENTABLE_CLASSES = ['demographic', 'contact', 'clinical', 'clinical_coding', 'coverage', 'financial'] as const;
export type ConsentableClass = (typeof CONSENTABLE_CLASSES)[number];

export interface RecordConsentInput {
  readonly patientId: string;
  readonly partnerId: string;
  readonly dataClasses: readonly ConsentableClass[];
  readonly validFrom: string;
  readonly validTo: string | null;
}

/** A consent's state, for the audit trail's before/after hashes. */
function consentState(row: ConsentRow | undefined): object | null {
  return row ? { ...row, revoked_at: row.revoked_at?.toISOString() ?? null, created_at: row.created_at.toISOString() } : null;
}

/**
 * Records a patient's consent for a partner. A live consent for the same partner is revoked and
 * replaced in the same transaction, with the change and its audit record (before/after hashes),
 * so there is never more than one live consent and never a change without its record.
 */
export async function recordConsent(ctx: PmsContext, input: RecordConsentInput): Promise<ConsentRow | MutationError> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.partnerId)) return new ValidationError('partnerId is not a partner id', 'input.partnerId');
  if (input.dataClasses.length === 0) return new ValidationError('Name at least one data class', 'input.dataClasses');
  if (input.validTo !== null && input.validTo < input.validFrom)
    return new ValidationError('validTo must not be before validFrom', 'input.validTo');
  const { patientId } = input;
  const refused = await authorizeChange(ctx, 'consent.record', patientId, { entityType: 'consent' });
  if (refused) return refused;
  return inTransaction(ctx.db, async (trx) => {
    const [patient] = await findPatientsByIds(trx, [patientId]);
    if (!patient) return new NotFoundError(`Patient ${patientId} was not found`, 'input.patientId');
    if (!(await findPartnerById(trx, input.partnerId)))
      return new NotFoundError(`Partner ${input.partnerId} was not found`, 'input.partnerId');
    const previous = await lockLiveConsent(trx, input.partnerId, patientId);
    const revoked = previous ? await revokeConsentRow(trx, previous.id, ctx.access.identity.subject) : undefined;
    const created = await insertConsent(trx, {
      patient_id: patientId,
      partner_id: input.partnerId,
      data_classes: [...new Set(input.dataClasses)].sort(),
      valid_from: input.validFrom,
      valid_to: input.validTo,
      recorded_by: ctx.access.identity.subject,
    });
    const entity = { entityType: 'consent', patientId };
    await appendAudit(trx, 'pms', [
      ...(revoked
        ? [
            changeRecord(ctx, {
              ...entity,
              action: 'consent.revoke',
              entityId: revoked.id,
              before: consentState(previous),
              after: consentState(revoked),
            }),
          ]
        : []),
      changeRecord(ctx, { ...entity, action: 'consent.record', entityId: created.id, before: null, after: consentState(created) }),
    ]);
    return created;
  });
}

/** Revokes a live consent, with its audit record in the same transaction. */
export async function revokeConsent(ctx: PmsContext, input: { readonly id: string }): Promise<ConsentRow | MutationError> {
  const { id } = input;
  return inTransaction(ctx.db, async (trx) => {
    const before = await findConsentById(trx, id);
    const refused = await authorizeChange(ctx, 'consent.revoke', before?.patient_id ?? null, {
      db: trx,
      entityType: 'consent',
      entityId: id,
    });
    if (refused) return refused;
    if (!before) return new NotFoundError(`Consent ${id} was not found`, 'input.id');
    const after = await revokeConsentRow(trx, id, ctx.access.identity.subject);
    if (!after) return new ConflictError('This consent is already revoked', 'input.id');
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'consent.revoke',
        entityType: 'consent',
        entityId: id,
        patientId: before.patient_id,
        before: consentState(before),
        after: consentState(after),
      }),
    ]);
    return after;
  });
}

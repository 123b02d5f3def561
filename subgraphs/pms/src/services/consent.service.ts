import { appendAudit, contentHash, inTransaction, type ConsentRow, type PmsDatabase } from '@chartbridge/db';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, isUuid, type AccessControl } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
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

type Failure = ValidationError | NotFoundError | ConflictError | ForbiddenError;

/** Who may record or revoke a patient's consent: the front desk, or the patient for their own record. */
function mayManageConsent(access: AccessControl, patientId: string): boolean {
  const { role, patientId: own } = access.identity;
  return role === 'front_desk' || (role === 'patient' && own === patientId);
}

function auditBase(access: AccessControl, requestId: string) {
  const { identity } = access;
  return { requestId, actorId: identity.subject, role: identity.role, client: identity.client, purpose: identity.purpose };
}

/** A consent's state without its patient id, for the audit trail's before/after hashes. */
function consentState(row: ConsentRow | undefined): string | null {
  return row ? contentHash({ ...row, revoked_at: row.revoked_at?.toISOString() ?? null, created_at: row.created_at.toISOString() }) : null;
}

/**
 * Records a patient's consent for a partner. A live consent for the same partner is revoked and
 * replaced in the same transaction, with the change and its audit record (before/after hashes),
 * so there is never more than one live consent and never a change without its record.
 */
export async function recordConsent(
  db: Kysely<PmsDatabase>,
  access: AccessControl,
  requestId: string,
  input: RecordConsentInput,
): Promise<ConsentRow | Failure> {
  if (!isUuid(input.patientId)) return new ValidationError('patientId is not a valid id', 'input.patientId');
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.partnerId)) return new ValidationError('partnerId is not a partner id', 'input.partnerId');
  if (input.dataClasses.length === 0) return new ValidationError('Name at least one data class', 'input.dataClasses');
  if (input.validTo !== null && input.validTo < input.validFrom) return new ValidationError('validTo must not be before validFrom', 'input.validTo');
  const patientId = input.patientId.toLowerCase();
  if (!mayManageConsent(access, patientId)) {
    await appendAudit(db, 'pms', [{ ...auditBase(access, requestId), action: 'consent.record', outcome: 'denied', patientId, entityType: 'consent' }]);
    return new ForbiddenError("You may not record this patient's consent");
  }
  return inTransaction(db, async (trx) => {
    const [patient] = await findPatientsByIds(trx, [patientId]);
    if (!patient) return new NotFoundError(`Patient ${patientId} was not found`, 'input.patientId');
    if (!(await findPartnerById(trx, input.partnerId))) return new NotFoundError(`Partner ${input.partnerId} was not found`, 'input.partnerId');
    const previous = await lockLiveConsent(trx, input.partnerId, patientId);
    const revoked = previous ? await revokeConsentRow(trx, previous.id, access.identity.subject) : undefined;
    const created = await insertConsent(trx, {
      patient_id: patientId,
      partner_id: input.partnerId,
      data_classes: [...new Set(input.dataClasses)].sort(),
      valid_from: input.validFrom,
      valid_to: input.validTo,
      recorded_by: access.identity.subject,
    });
    const base = auditBase(access, requestId);
    await appendAudit(trx, 'pms', [
      ...(revoked ? [{ ...base, action: 'consent.revoke', outcome: 'success' as const, patientId, entityType: 'consent', entityId: revoked.id, beforeHash: consentState(previous), afterHash: consentState(revoked) }] : []),
      { ...base, action: 'consent.record', outcome: 'success', patientId, entityType: 'consent', entityId: created.id, beforeHash: null, afterHash: consentState(created) },
    ]);
    return created;
  });
}

/** Revokes a live consent, with its audit record in the same transaction. */
export async function revokeConsent(
  db: Kysely<PmsDatabase>,
  access: AccessControl,
  requestId: string,
  input: { readonly id: string },
): Promise<ConsentRow | Failure> {
  if (!isUuid(input.id)) return new ValidationError('id is not a valid id', 'input.id');
  const id = input.id.toLowerCase();
  return inTransaction(db, async (trx) => {
    const before = await findConsentById(trx, id);
    if (!before) return new NotFoundError(`Consent ${id} was not found`, 'input.id');
    if (!mayManageConsent(access, before.patient_id)) {
      await appendAudit(trx, 'pms', [{ ...auditBase(access, requestId), action: 'consent.revoke', outcome: 'denied', patientId: before.patient_id, entityType: 'consent', entityId: id }]);
      return new ForbiddenError("You may not revoke this patient's consent");
    }
    const after = await revokeConsentRow(trx, id, access.identity.subject);
    if (!after) return new ConflictError('This consent is already revoked', 'input.id');
    await appendAudit(trx, 'pms', [
      { ...auditBase(access, requestId), action: 'consent.revoke', outcome: 'success', patientId: before.patient_id, entityType: 'consent', entityId: id, beforeHash: consentState(before), afterHash: consentState(after) },
    ]);
    return after;
  });
}

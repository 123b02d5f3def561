import { appendAudit, type AuditRecord, type EhrDatabase } from '@chartbridge/db';
import {
  ForbiddenError,
  NotFoundError,
  auditBase,
  authorizeChange,
  changeRecord,
  writeRule,
  type Change,
  type WriteAction,
} from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import type { EhrContext } from '../context.js';
import type { EncounterFacts } from '../data/pms-directory.js';
import { encounterFactsById, patientById, providerById } from '../data/pms-lookups.js';

// What every EHR change shares: the PMS's answer about the ids a change names (asked with the
// caller's token, batched per request), refusals the write policy cannot see (authorship), and the
// change's audit record. The write policy itself is the kit's `authorizeChange`, called by each
// service once it knows the patient's row.

/** The audit record of a chart change: the kit's record, with the class every EHR change has recorded. */
export function chartChangeRecord(ctx: EhrContext, change: Omit<Change, 'dataClasses'>): AuditRecord {
  return changeRecord(ctx, { ...change, dataClasses: ['clinical'] });
}

/**
 * A refusal the write policy does not decide (the PMS refused the caller a row the change names, or
 * the caller is not the provider a note needs): recorded as denied in the EHR's chain, and returned
 * as the typed error. The message names the rule, never a value of the record.
 */
export async function refuseChange(
  ctx: EhrContext,
  action: WriteAction,
  message: string,
  target: {
    readonly patientId?: string | null;
    readonly db?: Kysely<EhrDatabase>;
    readonly field?: string;
    readonly entityType?: string;
    readonly entityId?: string;
  } = {},
): Promise<ForbiddenError> {
  await appendAudit(target.db ?? ctx.db, 'ehr', [
    {
      ...auditBase(ctx),
      action,
      outcome: 'denied',
      patientId: target.patientId ?? null,
      dataClasses: writeRule(action).classes,
      entityType: target.entityType ?? null,
      entityId: target.entityId ?? null,
    },
  ]);
  return new ForbiddenError(message, target.field ?? null);
}

/** The encounter as the PMS knows it, or the typed error naming `field` (for a change already decided on its patient). */
export async function requireEncounter(
  ctx: EhrContext,
  encounterId: string,
  field: string,
  action: WriteAction,
): Promise<EncounterFacts | NotFoundError | ForbiddenError> {
  const found = await encounterFactsById(ctx).load(encounterId);
  if (found.kind === 'not_found') return new NotFoundError(`Encounter ${encounterId} was not found`, field);
  if (found.kind === 'forbidden') return refuseChange(ctx, action, "This patient's encounter is not available to you", { field });
  return found.value;
}

/**
 * A change named by its encounter: the encounter as the PMS knows it, with the write policy's
 * decision on its patient's row. An encounter the PMS does not have is decided as no row, so a
 * caller the policy refuses learns nothing of whether it exists.
 */
export async function authorizeOnEncounter(
  ctx: EhrContext,
  action: WriteAction,
  encounterId: string,
  field: string,
): Promise<EncounterFacts | NotFoundError | ForbiddenError> {
  const found = await encounterFactsById(ctx).load(encounterId);
  const target = { entityType: 'encounter', entityId: encounterId };
  // One the PMS refused the caller is decided as no row too: a role the policy refuses gets the same
  // answer whether or not the encounter exists, and the PMS's refusal is told only to the others.
  const refused = await authorizeChange(ctx, action, found.kind === 'found' ? found.value.patientId : null, target);
  if (refused) return refused;
  if (found.kind === 'forbidden')
    return refuseChange(ctx, action, "This patient's encounter is not available to you", { ...target, field });
  return found.kind === 'found' ? found.value : new NotFoundError(`Encounter ${encounterId} was not found`, field);
}

/**
 * A change named by a row of the EHR's own (a note, an order, a prescription), found or not: the
 * write policy's decision on its patient's row, or on no row when it does not exist.
 */
export function authorizeOnRow(
  ctx: EhrContext,
  action: WriteAction,
  row: { readonly patient_id: string } | undefined,
  target: { readonly db?: Kysely<EhrDatabase>; readonly entityType: string; readonly entityId: string },
): Promise<ForbiddenError | null> {
  return authorizeChange(ctx, action, row?.patient_id ?? null, target);
}

/**
 * Null when the PMS knows the patient (and the caller may reach them), else the typed error naming
 * `field`: the EHR writes no chart row for a patient who does not exist.
 */
export async function requirePatient(
  ctx: EhrContext,
  patientId: string,
  field: string,
  action: WriteAction,
): Promise<NotFoundError | ForbiddenError | null> {
  const found = await patientById(ctx).load(patientId);
  if (found.kind === 'not_found') return new NotFoundError(`Patient ${patientId} was not found`, field);
  if (found.kind === 'forbidden') return refuseChange(ctx, action, "This patient's record is not available to you", { field });
  return null;
}

/** Null when the provider is in the PMS's directory, else a NotFoundError naming `field`. */
export async function requireProvider(ctx: EhrContext, providerId: string, field: string): Promise<NotFoundError | null> {
  const found = await providerById(ctx).load(providerId);
  return found.kind === 'found' ? null : new NotFoundError(`Provider ${providerId} was not found`, field);
}

/** The refusal of a change that needs the caller's provider when the token names none. */
export const NO_PROVIDER = 'Your token names no provider: writing or signing a note needs the provider you are (the `provider` claim)';

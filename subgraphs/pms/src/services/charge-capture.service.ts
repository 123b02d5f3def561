import {
  appendAudit,
  contentHash,
  inTransaction,
  type ClaimDiagnosisRow,
  type ClaimLineRow,
  type ClaimRow,
  type PmsDatabase,
} from '@chartbridge/db';
import type { Identity } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import {
  findClaimContent,
  findEncounterLocation,
  findFeesOn,
  insertClaim,
  lockEncounter,
  lockLiveClaim,
  recordInboxEvent,
  replaceClaimContent,
  settleInboxEvent,
  updateClaimCapture,
} from '../data/claim.repository.js';
import { findProvidersByIds } from '../data/provider.repository.js';
import type { EncounterDocumented } from '../events/encounter-documented.js';
import { buildClaimDraft } from '../rules/claim-lines.js';
import { isCaptureEditable } from '../rules/claim-status.js';

/** What became of a delivered event. */
export type CaptureOutcome =
  /** The draft claim was created or its lines replaced. */
  | { readonly outcome: 'applied'; readonly claimId: string }
  /** The event id was received before: nothing changed. */
  | { readonly outcome: 'duplicate' }
  /** An event newer than this one already built the draft: recorded, nothing changed. */
  | { readonly outcome: 'stale'; readonly claimId: string }
  /** The encounter's claim is past draft: recorded, the claim unchanged (a later check reports the mismatch). */
  | { readonly outcome: 'claim_not_draft'; readonly claimId: string };

/** An event the PMS can never apply as sent (its encounter is unknown here, or names another patient). */
export class UnusableEventError extends Error {
  override readonly name = 'UnusableEventError';
}

export interface DocumentedDelivery {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: Date;
  readonly payload: EncounterDocumented;
}

/** A claim and its content, for the audit trail's before/after hashes (ids and codes; hashed, never stored in clear). */
function claimState(claim: ClaimRow, content: { lines: readonly ClaimLineRow[]; diagnoses: readonly ClaimDiagnosisRow[] }): string {
  return contentHash({
    ...claim,
    source_event_at: new Date(claim.source_event_at).toISOString(),
    created_at: new Date(claim.created_at).toISOString(),
    updated_at: new Date(claim.updated_at).toISOString(),
    lines: content.lines,
    diagnoses: content.diagnoses,
  });
}

/**
 * Charge capture: applies one `encounter.documented` event to the encounter's draft claim, in one
 * transaction with the event's inbox row and the change's audit record. Idempotent by event id: a
 * redelivery changes nothing. Creates the draft when the encounter has no live claim, replaces its
 * lines and diagnoses when it is a draft (an amending addendum), and leaves a claim past draft, or a
 * draft built from a newer event, as it is. Throws {@link UnusableEventError} for an event that can
 * never apply (the whole transaction rolls back, so a corrected redelivery may still apply).
 */
export async function captureCharges(
  db: Kysely<PmsDatabase>,
  actor: Identity,
  requestId: string,
  event: DocumentedDelivery,
): Promise<CaptureOutcome> {
  const facts = event.payload;
  return inTransaction(db, async (trx): Promise<CaptureOutcome> => {
    const fresh = await recordInboxEvent(trx, {
      id: event.id,
      type: event.type,
      aggregateId: facts.encounterId,
      occurredAt: event.occurredAt,
      outcome: 'applied',
    });
    if (!fresh) return { outcome: 'duplicate' };
    const encounter = await lockEncounter(trx, facts.encounterId);
    if (!encounter) throw new UnusableEventError('The event names an encounter the PMS does not have');
    if (encounter.patient_id !== facts.patientId) throw new UnusableEventError("The event's patient is not the encounter's");

    const live = await lockLiveClaim(trx, encounter.id);
    if (live && !isCaptureEditable(live.status)) {
      await settleInboxEvent(trx, event.id, 'claim_not_draft', live.id);
      return { outcome: 'claim_not_draft', claimId: live.id };
    }
    if (live && new Date(live.source_event_at).getTime() > event.occurredAt.getTime()) {
      await settleInboxEvent(trx, event.id, 'stale', live.id);
      return { outcome: 'stale', claimId: live.id };
    }

    const [fees, providers] = await Promise.all([
      findFeesOn(trx, facts.procedures, facts.serviceDate),
      findProvidersByIds(trx, [...new Set(facts.procedures.map((p) => p.performerId))]),
    ]);
    const draft = buildClaimDraft(facts, fees, new Set(providers.map((p) => p.id)));
    const capture = {
      provider_id: encounter.provider_id,
      total_charge_cents: draft.totalChargeCents,
      capture_issues: JSON.stringify(draft.issues),
      snapshot: JSON.stringify({ eventId: event.id, occurredAt: event.occurredAt.toISOString(), facts }),
      source_event_id: event.id,
      source_event_at: event.occurredAt,
    };
    const before = live ? claimState(live, await findClaimContent(trx, live.id)) : null;
    const claim = live
      ? await updateClaimCapture(trx, live.id, capture)
      : await insertClaim(trx, {
          ...capture,
          encounter_id: encounter.id,
          patient_id: encounter.patient_id,
          location_id: await findEncounterLocation(trx, encounter.id),
        });
    const content = await replaceClaimContent(trx, claim.id, draft);
    await settleInboxEvent(trx, event.id, 'applied', claim.id);
    await appendAudit(trx, 'pms', [
      {
        action: live ? 'claim.recapture' : 'claim.capture',
        requestId,
        actorId: actor.subject,
        role: actor.role,
        client: actor.client,
        purpose: actor.purpose,
        outcome: 'success',
        patientId: encounter.patient_id,
        dataClasses: ['financial', 'clinical_coding'],
        entityType: 'claim',
        entityId: claim.id,
        beforeHash: before,
        afterHash: claimState(claim, content),
      },
    ]);
    return { outcome: 'applied', claimId: claim.id };
  });
}

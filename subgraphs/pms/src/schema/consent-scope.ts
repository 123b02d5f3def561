import { notFound, parseId } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { liveConsentByPatientId } from '../data/consent.loaders.js';

/**
 * For a partner's request, learns these patients' live consents before their rows are shown, so the
 * data-class plugin can check each field against them. For every other role it does nothing (and
 * issues no SQL).
 */
export async function learnConsents(ctx: PmsContext, patientIds: readonly string[]): Promise<void> {
  if (ctx.access.patientScope().kind !== 'consented' || patientIds.length === 0) return;
  const rows = await liveConsentByPatientId(ctx).loadMany([...new Set(patientIds)]);
  for (const row of rows) {
    if (row && !(row instanceof Error)) ctx.access.registerConsent(row.patient_id, row.data_classes);
  }
}

/** The partner whose consents bound a list query, when the caller is a partner. */
export function consentingPartner(ctx: PmsContext): string | undefined {
  const scope = ctx.access.patientScope();
  return scope.kind === 'consented' ? scope.partnerId : undefined;
}

/**
 * A patient-bound row asked for by id: `NOT_FOUND` when there is none, `FORBIDDEN` when its patient
 * is out of the caller's reach (a partner's consent is learned first).
 */
export async function findReachable<T extends { readonly patient_id: string }>(
  ctx: PmsContext,
  typename: string,
  rawId: string,
  load: (id: string) => Promise<T | null>,
): Promise<T> {
  const id = parseId(rawId, 'id');
  const row = await load(id);
  if (!row) throw notFound(typename, id);
  await learnConsents(ctx, [row.patient_id]);
  ctx.access.assertCanReachPatient(row.patient_id);
  return row;
}

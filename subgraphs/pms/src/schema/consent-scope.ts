import type { PmsContext } from '../context.js';
import { liveConsentByPatientId } from '../data/loaders.js';

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

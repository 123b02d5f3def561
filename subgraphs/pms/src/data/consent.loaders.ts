import type { ConsentRow } from '@chartbridge/db';
import { alignByKey, defineLoader, groupedBy } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findConsentsByPatientIds, findLiveConsents } from './consent.repository.js';

/** The calling partner's live consent per patient (a partner's request only). */
export const liveConsentByPatientId = defineLoader<PmsContext, string, ConsentRow | null>(async (ctx, ids) => {
  const partnerId = ctx.access.identity.partnerId;
  if (!partnerId) return ids.map(() => null);
  const today = new Date().toISOString().slice(0, 10);
  return alignByKey(ids, await findLiveConsents(ctx.db, partnerId, ids, today), (row) => row.patient_id);
});

export const consentsByPatientId = groupedBy<PmsContext, ConsentRow>(findConsentsByPatientIds, (row) => row.patient_id);

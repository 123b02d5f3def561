import type { ClaimDiagnosisRow, ClaimRow } from '@chartbridge/db';
import { alignByKey, defineLoader, groupByKey } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findClaimsByEncounterIds, findClaimsByIds, findClaimsByPatientIds, findDiagnosesByClaimIds, findLinesByClaimIds, type ClaimLineWithPatient } from './claim.repository.js';

// Claims' request-scoped loaders: one SQL statement per batch of keys, whatever the number of
// claims, lines or encounters a query walks.

export const claimById = defineLoader<PmsContext, string, ClaimRow | null>(async (ctx, ids) => alignByKey(ids, await findClaimsByIds(ctx.db, ids), (row) => row.id));

export const claimsByEncounterId = defineLoader<PmsContext, string, ClaimRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findClaimsByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const claimsByPatientId = defineLoader<PmsContext, string, ClaimRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findClaimsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const claimLinesByClaimId = defineLoader<PmsContext, string, ClaimLineWithPatient[]>(async (ctx, ids) =>
  groupByKey(ids, await findLinesByClaimIds(ctx.db, ids), (row) => row.claim_id),
);

export const claimDiagnosesByClaimId = defineLoader<PmsContext, string, ClaimDiagnosisRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findDiagnosesByClaimIds(ctx.db, ids), (row) => row.claim_id),
);

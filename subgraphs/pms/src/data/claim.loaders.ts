import type { ClaimDiagnosisRow, ClaimRow } from '@chartbridge/db';
import { byId, groupedBy } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import {
  findClaimsByEncounterIds,
  findClaimsByIds,
  findClaimsByPatientIds,
  findDiagnosesByClaimIds,
  findLinesByClaimIds,
  type ClaimLineWithPatient,
} from './claim.repository.js';

// Claims' request-scoped loaders: one SQL statement per batch of keys, whatever the number of
// claims, lines or encounters a query walks.

export const claimById = byId<PmsContext, ClaimRow>(findClaimsByIds);

export const claimsByEncounterId = groupedBy<PmsContext, ClaimRow>(findClaimsByEncounterIds, (row) => row.encounter_id);

export const claimsByPatientId = groupedBy<PmsContext, ClaimRow>(findClaimsByPatientIds, (row) => row.patient_id);

export const claimLinesByClaimId = groupedBy<PmsContext, ClaimLineWithPatient>(findLinesByClaimIds, (row) => row.claim_id);

export const claimDiagnosesByClaimId = groupedBy<PmsContext, ClaimDiagnosisRow>(findDiagnosesByClaimIds, (row) => row.claim_id);

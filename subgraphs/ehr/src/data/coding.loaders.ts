import type { DiagnosisRow, ProcedureRow } from '@chartbridge/db';
import { byId, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import {
  findDiagnosesByEncounterIds,
  findDiagnosesByIds,
  findLinkedDiagnoses,
  findProceduresByEncounterIds,
  findProceduresByIds,
  type LinkedDiagnosis,
} from './coding.repository.js';

// Diagnoses' and procedures' request-scoped loaders: one SQL statement per batch of keys.

export const diagnosisById = byId<EhrContext, DiagnosisRow>(findDiagnosesByIds);

export const diagnosesByEncounterId = groupedBy<EhrContext, DiagnosisRow>(findDiagnosesByEncounterIds, (row) => row.encounter_id);

export const procedureById = byId<EhrContext, ProcedureRow>(findProceduresByIds);

export const proceduresByEncounterId = groupedBy<EhrContext, ProcedureRow>(findProceduresByEncounterIds, (row) => row.encounter_id);

/** The diagnoses each procedure is linked to, in pointer order. */
export const linkedDiagnosesByProcedureId = groupedBy<EhrContext, LinkedDiagnosis>(findLinkedDiagnoses, (row) => row.procedure_id);

import type { AllergyRow, ClinicalNoteRow, DiagnosisRow, ProcedureRow } from '@chartbridge/db';
import type { AllergyStatusRow, PrescriptionRow, ProblemRow } from '@chartbridge/db';
import { alignByKey, defineLoader, groupByKey } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findAllergiesByEncounterIds, findAllergiesByPatientIds, findAllergyStatusByPatientIds } from './allergy.repository.js';
import { findPrescriptionsByEncounterIds, findPrescriptionsByPatientIds } from './medication.repository.js';
import { findProblemsByEncounterIds, findProblemsByPatientIds } from './problem.repository.js';
import { findAddendaByNoteIds, findNotesByEncounterIds, findNotesByIds, type AddendumWithKind } from './clinical-note.repository.js';
import {
  findDiagnosesByEncounterIds,
  findDiagnosesByIds,
  findLinkedDiagnoses,
  findProceduresByEncounterIds,
  findProceduresByIds,
  type LinkedDiagnosis,
} from './coding.repository.js';
import type { ImmunizationRow, LabOrderRow, LabResultRow, VitalSignsRow } from '@chartbridge/db';
import { findImmunizationsByEncounterIds, findImmunizationsByPatientIds } from './immunization.repository.js';
import { findAlertResultsByPatientIds, findLabOrdersByEncounterIds, findLabOrdersByIds, findLabResultsByOrderIds, findLabResultsPageByPatientIds, type LabResultWithTest } from './lab.repository.js';
import { loadPatientPages, type PatientPageKey } from './patient-page.js';
import { RESULT_ALERT_DAYS } from '../rules/lab-flags.js';
import { PREVENTIVE_LOOKBACK_DAYS, PREVENTIVE_SCREENING_LOINC } from '../rules/preventive-care.js';
import { findLastBloodPressureByPatientIds, findLatestVitalsByPatientIds, findVitalsByEncounterIds, findVitalsPageByPatientIds } from './vitals.repository.js';

// One SQL statement per batch of keys, whatever the number of keys asked for in one tick.

export const allergiesByPatientId = defineLoader<EhrContext, string, AllergyRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findAllergiesByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const allergyStatusByPatientId = defineLoader<EhrContext, string, AllergyStatusRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findAllergyStatusByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const problemsByPatientId = defineLoader<EhrContext, string, ProblemRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findProblemsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const prescriptionsByPatientId = defineLoader<EhrContext, string, PrescriptionRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findPrescriptionsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const prescriptionsByEncounterId = defineLoader<EhrContext, string, PrescriptionRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findPrescriptionsByEncounterIds(ctx.db, ids), (row) => row.encounter_id ?? ''),
);

export const notesByEncounterId = defineLoader<EhrContext, string, ClinicalNoteRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findNotesByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const noteById = defineLoader<EhrContext, string, ClinicalNoteRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findNotesByIds(ctx.db, ids), (row) => row.id),
);

export const addendaByNoteId = defineLoader<EhrContext, string, AddendumWithKind[]>(async (ctx, ids) =>
  groupByKey(ids, await findAddendaByNoteIds(ctx.db, ids), (row) => row.note_id),
);

export const diagnosesByEncounterId = defineLoader<EhrContext, string, DiagnosisRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findDiagnosesByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const diagnosisById = defineLoader<EhrContext, string, DiagnosisRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findDiagnosesByIds(ctx.db, ids), (row) => row.id),
);

export const proceduresByEncounterId = defineLoader<EhrContext, string, ProcedureRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findProceduresByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const procedureById = defineLoader<EhrContext, string, ProcedureRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findProceduresByIds(ctx.db, ids), (row) => row.id),
);

export const linkedDiagnosesByProcedureId = defineLoader<EhrContext, string, LinkedDiagnosis[]>(async (ctx, ids) =>
  groupByKey(ids, await findLinkedDiagnoses(ctx.db, ids), (row) => row.procedure_id),
);

// Observations: immunizations, vital signs, lab orders and results.

export const immunizationsByPatientId = defineLoader<EhrContext, string, ImmunizationRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findImmunizationsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

/** A page of a patient's vital signs, newest first (up to `first + 1` rows: the extra one says a next page exists). */
export const vitalsPageByPatient = defineLoader<EhrContext, PatientPageKey, VitalSignsRow[]>((ctx, keys) =>
  loadPatientPages(keys, (ids, page) => findVitalsPageByPatientIds(ctx.db, ids, page)),
);

export const vitalsByEncounterId = defineLoader<EhrContext, string, VitalSignsRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findVitalsByEncounterIds(ctx.db, ids), (row) => row.encounter_id ?? ''),
);

export const latestVitalsByPatientId = defineLoader<EhrContext, string, VitalSignsRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findLatestVitalsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const lastBloodPressureByPatientId = defineLoader<EhrContext, string, { patient_id: string; taken_at: Date } | null>(async (ctx, ids) =>
  alignByKey(ids, await findLastBloodPressureByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const labOrderById = defineLoader<EhrContext, string, LabOrderRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findLabOrdersByIds(ctx.db, ids), (row) => row.id),
);

export const labOrdersByEncounterId = defineLoader<EhrContext, string, LabOrderRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findLabOrdersByEncounterIds(ctx.db, ids), (row) => row.encounter_id),
);

export const labResultsByOrderId = defineLoader<EhrContext, string, LabResultRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findLabResultsByOrderIds(ctx.db, ids), (row) => row.order_id),
);

/** A page of a patient's lab results, newest first (up to `first + 1` rows). */
export const labResultsPageByPatient = defineLoader<EhrContext, PatientPageKey, LabResultRow[]>((ctx, keys) =>
  loadPatientPages(keys, (ids, page) => findLabResultsPageByPatientIds(ctx.db, ids, page)),
);

/** What the alert rules read of each patient's results: recent ones, and screening tests further back. */
export const alertResultsByPatientId = defineLoader<EhrContext, string, LabResultWithTest[]>(async (ctx, ids) => {
  const now = Date.now();
  const rows = await findAlertResultsByPatientIds(ctx.db, ids, {
    recentSince: new Date(now - RESULT_ALERT_DAYS * 86_400_000),
    screeningCodes: PREVENTIVE_SCREENING_LOINC,
    screeningSince: new Date(now - PREVENTIVE_LOOKBACK_DAYS * 86_400_000),
  });
  return groupByKey(ids, rows, (row) => row.patient_id);
});

export const allergiesByEncounterId = defineLoader<EhrContext, string, AllergyRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findAllergiesByEncounterIds(ctx.db, ids), (row) => row.encounter_id ?? ''),
);

export const problemsByEncounterId = defineLoader<EhrContext, string, ProblemRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findProblemsByEncounterIds(ctx.db, ids), (row) => row.encounter_id ?? ''),
);

export const immunizationsByEncounterId = defineLoader<EhrContext, string, ImmunizationRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findImmunizationsByEncounterIds(ctx.db, ids), (row) => row.encounter_id ?? ''),
);

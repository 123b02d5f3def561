import type { VitalSignsRow } from '@chartbridge/db';
import { byId, defineLoader, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { loadPatientPages, type PatientPageKey } from './patient-page.js';
import {
  findLastBloodPressureByPatientIds,
  findLatestVitalsByPatientIds,
  findVitalsByEncounterIds,
  findVitalsPageByPatientIds,
} from './vitals.repository.js';

// Vital signs' request-scoped loaders: one SQL statement per batch of keys.

/** A page of a patient's vital signs, newest first (up to `first + 1` rows: the extra one says a next page exists). */
export const vitalsPageByPatient = defineLoader<EhrContext, PatientPageKey, VitalSignsRow[]>((ctx, keys) =>
  loadPatientPages(keys, (ids, page) => findVitalsPageByPatientIds(ctx.db, ids, page)),
);

export const vitalsByEncounterId = groupedBy<EhrContext, VitalSignsRow>(findVitalsByEncounterIds, (row) => row.encounter_id ?? '');

/** Each patient's latest set of vital signs; null for a patient with none. */
export const latestVitalsByPatientId = byId<EhrContext, VitalSignsRow>(findLatestVitalsByPatientIds, (row) => row.patient_id);

/** When each patient's blood pressure was last taken; null for a patient with none. */
export const lastBloodPressureByPatientId = byId<EhrContext, { patient_id: string; taken_at: Date }>(
  findLastBloodPressureByPatientIds,
  (row) => row.patient_id,
);

import type { LabOrderRow, LabResultRow } from '@chartbridge/db';
import { byId, defineLoader, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { RESULT_ALERT_DAYS } from '../rules/lab-flags.js';
import { PREVENTIVE_LOOKBACK_DAYS, PREVENTIVE_SCREENING_LOINC } from '../rules/preventive-care.js';
import {
  findAlertResultsByPatientIds,
  findLabOrdersByEncounterIds,
  findLabOrdersByIds,
  findLabResultsByOrderIds,
  findLabResultsPageByPatientIds,
  type LabResultWithTest,
} from './lab.repository.js';
import { loadPatientPages, type PatientPageKey } from './patient-page.js';

// Lab orders' and results' request-scoped loaders: one SQL statement per batch of keys.

export const labOrderById = byId<EhrContext, LabOrderRow>(findLabOrdersByIds);

export const labOrdersByEncounterId = groupedBy<EhrContext, LabOrderRow>(findLabOrdersByEncounterIds, (row) => row.encounter_id);

export const labResultsByOrderId = groupedBy<EhrContext, LabResultRow>(findLabResultsByOrderIds, (row) => row.order_id);

/** A page of a patient's lab results, newest first (up to `first + 1` rows). */
export const labResultsPageByPatient = defineLoader<EhrContext, PatientPageKey, LabResultRow[]>((ctx, keys) =>
  loadPatientPages(keys, (ids, page) => findLabResultsPageByPatientIds(ctx.db, ids, page)),
);

/** What the alert rules read of each patient's results: recent ones, and screening tests further back. */
export const alertResultsByPatientId = groupedBy<EhrContext, LabResultWithTest>(
  (db, ids) => {
    const now = Date.now();
    return findAlertResultsByPatientIds(db, ids, {
      recentSince: new Date(now - RESULT_ALERT_DAYS * 86_400_000),
      screeningCodes: PREVENTIVE_SCREENING_LOINC,
      screeningSince: new Date(now - PREVENTIVE_LOOKBACK_DAYS * 86_400_000),
    });
  },
  (row) => row.patient_id,
);

import type { PrescriptionRow } from '@chartbridge/db';
import { groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findPrescriptionsByEncounterIds, findPrescriptionsByPatientIds } from './medication.repository.js';

// Prescriptions' request-scoped loaders: one SQL statement per batch of patients or encounters.

export const prescriptionsByPatientId = groupedBy<EhrContext, PrescriptionRow>(findPrescriptionsByPatientIds, (row) => row.patient_id);

export const prescriptionsByEncounterId = groupedBy<EhrContext, PrescriptionRow>(
  findPrescriptionsByEncounterIds,
  (row) => row.encounter_id ?? '',
);

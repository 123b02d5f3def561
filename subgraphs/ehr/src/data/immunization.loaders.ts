import type { ImmunizationRow } from '@chartbridge/db';
import { groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findImmunizationsByEncounterIds, findImmunizationsByPatientIds } from './immunization.repository.js';

// Immunizations' request-scoped loaders: one SQL statement per batch of patients or encounters.

export const immunizationsByPatientId = groupedBy<EhrContext, ImmunizationRow>(findImmunizationsByPatientIds, (row) => row.patient_id);

export const immunizationsByEncounterId = groupedBy<EhrContext, ImmunizationRow>(
  findImmunizationsByEncounterIds,
  (row) => row.encounter_id ?? '',
);

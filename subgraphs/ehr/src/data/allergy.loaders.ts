import type { AllergyRow, AllergyStatusRow } from '@chartbridge/db';
import { byId, groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findAllergiesByEncounterIds, findAllergiesByPatientIds, findAllergyStatusByPatientIds } from './allergy.repository.js';

// Allergies' request-scoped loaders: one SQL statement per batch of keys, whatever the number of
// patients or encounters a query walks.

export const allergiesByPatientId = groupedBy<EhrContext, AllergyRow>(findAllergiesByPatientIds, (row) => row.patient_id);

/** A patient's recorded "no known drug allergies" statement; null for most. */
export const allergyStatusByPatientId = byId<EhrContext, AllergyStatusRow>(findAllergyStatusByPatientIds, (row) => row.patient_id);

export const allergiesByEncounterId = groupedBy<EhrContext, AllergyRow>(findAllergiesByEncounterIds, (row) => row.encounter_id ?? '');

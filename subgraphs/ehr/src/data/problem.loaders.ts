import type { ProblemRow } from '@chartbridge/db';
import { groupedBy } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findProblemsByEncounterIds, findProblemsByPatientIds } from './problem.repository.js';

// Problems' request-scoped loaders: one SQL statement per batch of patients or encounters.

export const problemsByPatientId = groupedBy<EhrContext, ProblemRow>(findProblemsByPatientIds, (row) => row.patient_id);

export const problemsByEncounterId = groupedBy<EhrContext, ProblemRow>(findProblemsByEncounterIds, (row) => row.encounter_id ?? '');

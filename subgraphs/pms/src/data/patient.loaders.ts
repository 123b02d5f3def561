import type { PatientRow } from '@chartbridge/db';
import { byId } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findPatientsByIds } from './patient.repository.js';

export const patientById = byId<PmsContext, PatientRow>(findPatientsByIds);

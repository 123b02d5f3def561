import type { CoverageRow, EligibilityCheckRow, PayerRow } from '@chartbridge/db';
import { alignByKey, byId, defineLoader, groupedBy } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import {
  findCoveragesByIds,
  findCoveragesByPatientIds,
  findEligibilityChecksByCoverageIds,
  findLatestPrimaryChecksByAppointmentIds,
  findPayersByIds,
} from './coverage.repository.js';

export const payerById = byId<PmsContext, PayerRow>(findPayersByIds);

export const coverageById = byId<PmsContext, CoverageRow>(findCoveragesByIds);

export const coveragesByPatientId = groupedBy<PmsContext, CoverageRow>(findCoveragesByPatientIds, (row) => row.patient_id);

export const eligibilityChecksByCoverageId = groupedBy<PmsContext, EligibilityCheckRow>(
  findEligibilityChecksByCoverageIds,
  (row) => row.coverage_id,
);

/** The latest check of the patient's primary coverage for an appointment's day, by appointment id. */
export const primaryEligibilityByAppointmentId = defineLoader<PmsContext, string, EligibilityCheckRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findLatestPrimaryChecksByAppointmentIds(ctx.db, ids, ctx.practiceTimeZone), (row) => row.appointment_id),
);

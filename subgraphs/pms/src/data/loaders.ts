import type { AppointmentRow, ConsentRow, CoverageRow, EligibilityCheckRow, EncounterRow, LocationRow, PatientRow, PayerRow, ProviderRow, RoomRow } from '@chartbridge/db';
import { alignByKey, defineLoader, groupByKey } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import { findAppointmentsByIds, findAppointmentsByProviderDays, findLocationsByIds, findRoomsByIds, findRoomsByLocationIds } from './appointment.repository.js';
import { findConsentsByPatientIds, findLiveConsents } from './consent.repository.js';
import { findCoveragesByIds, findCoveragesByPatientIds, findEligibilityChecksByCoverageIds, findLatestPrimaryChecksByAppointmentIds, findPayersByIds } from './coverage.repository.js';
import { findEncountersByIds } from './encounter.repository.js';
import { findPatientsByIds } from './patient.repository.js';
import { findProvidersByIds } from './provider.repository.js';

// One SQL statement per batch of ids, whatever the number of ids asked for in one tick.

export const patientById = defineLoader<PmsContext, string, PatientRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findPatientsByIds(ctx.db, ids), (row) => row.id),
);

export const providerById = defineLoader<PmsContext, string, ProviderRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findProvidersByIds(ctx.db, ids), (row) => row.id),
);

export const encounterById = defineLoader<PmsContext, string, EncounterRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findEncountersByIds(ctx.db, ids), (row) => row.id),
);

/** The calling partner's live consent per patient (a partner's request only). */
export const liveConsentByPatientId = defineLoader<PmsContext, string, ConsentRow | null>(async (ctx, ids) => {
  const partnerId = ctx.access.identity.partnerId;
  if (!partnerId) return ids.map(() => null);
  const today = new Date().toISOString().slice(0, 10);
  return alignByKey(ids, await findLiveConsents(ctx.db, partnerId, ids, today), (row) => row.patient_id);
});

export const consentsByPatientId = defineLoader<PmsContext, string, ConsentRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findConsentsByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const appointmentById = defineLoader<PmsContext, string, AppointmentRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findAppointmentsByIds(ctx.db, ids), (row) => row.id),
);

export const locationById = defineLoader<PmsContext, string, LocationRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findLocationsByIds(ctx.db, ids), (row) => row.id),
);

export const roomById = defineLoader<PmsContext, string, RoomRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findRoomsByIds(ctx.db, ids), (row) => row.id),
);

export const roomsByLocationId = defineLoader<PmsContext, string, RoomRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findRoomsByLocationIds(ctx.db, ids), (row) => row.location_id),
);

/** A provider's appointments starting on a day of the practice's time zone; key `providerId|YYYY-MM-DD`. */
export const appointmentsByProviderDay = defineLoader<PmsContext, string, AppointmentRow[]>(async (ctx, keys) => {
  const pairs = keys.map((key) => {
    const [providerId = '', date = ''] = key.split('|');
    return { providerId, date };
  });
  const rows = await findAppointmentsByProviderDays(ctx.db, pairs, ctx.practiceTimeZone);
  return groupByKey(keys, rows, (row) => `${row.provider_id}|${row.day}`);
});

export const payerById = defineLoader<PmsContext, string, PayerRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findPayersByIds(ctx.db, ids), (row) => row.id),
);

export const coverageById = defineLoader<PmsContext, string, CoverageRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findCoveragesByIds(ctx.db, ids), (row) => row.id),
);

export const coveragesByPatientId = defineLoader<PmsContext, string, CoverageRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findCoveragesByPatientIds(ctx.db, ids), (row) => row.patient_id),
);

export const eligibilityChecksByCoverageId = defineLoader<PmsContext, string, EligibilityCheckRow[]>(async (ctx, ids) =>
  groupByKey(ids, await findEligibilityChecksByCoverageIds(ctx.db, ids), (row) => row.coverage_id),
);

/** The latest check of the patient's primary coverage for an appointment's day, by appointment id. */
export const primaryEligibilityByAppointmentId = defineLoader<PmsContext, string, EligibilityCheckRow | null>(async (ctx, ids) =>
  alignByKey(ids, await findLatestPrimaryChecksByAppointmentIds(ctx.db, ids, ctx.practiceTimeZone), (row) => row.appointment_id),
);

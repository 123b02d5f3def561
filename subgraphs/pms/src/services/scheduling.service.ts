import { appendAudit, inTransaction, type AppointmentRow, type EncounterRow, type PmsDatabase } from '@chartbridge/db';
import {
  type MutationError,
  ConflictError,
  NotFoundError,
  ValidationError,
  authorizeChange,
  changeRecord,
  isUuid,
  type WriteAction,
} from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';
import {
  findAppointmentsByProviderDays,
  findAvailability,
  findLocationsByIds,
  findRoomsByIds,
  insertAppointment,
  insertEncounter,
  instantOf,
  localDayOf,
  lockAppointment,
  updateAppointment,
} from '../data/appointment.repository.js';
import { findPatientsByIds } from '../data/patient.repository.js';
import { findProvidersByIds } from '../data/provider.repository.js';
import type { PmsContext } from '../context.js';
import { durationProblem, fitsHours, freeSlots, transitionProblem, type AppointmentAction } from '../rules/scheduling.js';

export interface BookAppointmentInput {
  readonly patientId: string;
  readonly providerId: string;
  readonly locationId: string;
  readonly roomId: string | null;
  readonly start: Date;
  readonly end: Date | null;
  readonly durationMinutes: number | null;
  readonly reason: string | null;
}

/** An appointment's state for the audit trail's before/after hashes. */
function appointmentState(row: AppointmentRow | undefined): object | null {
  if (!row) return null;
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    ...row,
    starts_at: iso(row.starts_at),
    ends_at: iso(row.ends_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    cancelled_at: iso(row.cancelled_at),
  };
}

function encounterState(row: EncounterRow): object {
  return { ...row, created_at: row.created_at.toISOString() };
}

/** PostgreSQL's exclusion-constraint violation: an overlapping live appointment of the provider or room. */
function isOverlap(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23P01';
}

const overlapConflict = () => new ConflictError('The provider or room is already booked at that time', 'input.start');

/** Runs a scheduling transaction, turning the database's refusal of a double booking into a CONFLICT. */
async function scheduling<T>(db: Kysely<PmsDatabase>, work: (trx: Transaction<PmsDatabase>) => Promise<T>): Promise<T | ConflictError> {
  try {
    return await inTransaction(db, work);
  } catch (error) {
    if (isOverlap(error)) return overlapConflict();
    throw error;
  }
}

/** The end of an appointment from its input: `end`, or `start + durationMinutes`; exactly one. */
function endOf(start: Date, end: Date | null, durationMinutes: number | null): Date | ValidationError {
  if (end && durationMinutes !== null) return new ValidationError('Give end or durationMinutes, not both', 'input.durationMinutes');
  if (end) return end;
  if (durationMinutes === null) return new ValidationError('Give end or durationMinutes', 'input.end');
  return new Date(start.getTime() + durationMinutes * 60_000);
}

/** The checks every new time of an appointment passes: whole, 5-240 minutes, in the future, inside the provider's hours. */
async function timeProblem(
  db: Kysely<PmsDatabase>,
  timeZone: string,
  providerId: string,
  locationId: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<ValidationError | null> {
  const problem = durationProblem(start, end);
  if (problem) return new ValidationError(problem, 'input.end');
  if (start.getTime() < now.getTime()) return new ValidationError('start must not be in the past', 'input.start');
  const local = await localDayOf(db, start, timeZone);
  const windows = (await findAvailability(db, providerId, local.weekday)).filter((w) => w.location_id === locationId);
  const minutes = (end.getTime() - start.getTime()) / 60_000;
  if (!fitsHours(windows, local.time, minutes))
    return new ValidationError("The time is outside the provider's hours at this location", 'input.start');
  return null;
}

/** Books an appointment, with its audit record in the same transaction; an overlap is a CONFLICT. */
export async function bookAppointment(
  ctx: PmsContext,
  input: BookAppointmentInput,
  now: Date = new Date(),
): Promise<AppointmentRow | MutationError> {
  if (input.durationMinutes !== null && !Number.isInteger(input.durationMinutes))
    return new ValidationError('durationMinutes must be whole', 'input.durationMinutes');
  const end = endOf(input.start, input.end, input.durationMinutes);
  if (end instanceof ValidationError) return end;
  const problem = durationProblem(input.start, end);
  if (problem) return new ValidationError(problem, input.durationMinutes !== null ? 'input.durationMinutes' : 'input.end');
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > 500) return new ValidationError('reason is longer than 500 characters', 'input.reason');
  const { patientId, providerId, locationId, roomId } = input;
  const refused = await authorizeChange(ctx, 'appointment.book', patientId, { entityType: 'appointment' });
  if (refused) return refused;
  return scheduling(ctx.db, async (trx) => {
    const [patient] = await findPatientsByIds(trx, [patientId]);
    if (!patient) return new NotFoundError(`Patient ${patientId} was not found`, 'input.patientId');
    const [provider] = await findProvidersByIds(trx, [providerId]);
    if (!provider) return new NotFoundError(`Provider ${providerId} was not found`, 'input.providerId');
    const [location] = await findLocationsByIds(trx, [locationId]);
    if (!location) return new NotFoundError(`Location ${locationId} was not found`, 'input.locationId');
    if (roomId !== null) {
      const [room] = await findRoomsByIds(trx, [roomId]);
      if (!room) return new NotFoundError(`Room ${roomId} was not found`, 'input.roomId');
      if (room.location_id !== locationId) return new ValidationError('The room is not at this location', 'input.roomId');
    }
    const problem = await timeProblem(trx, ctx.practiceTimeZone, providerId, locationId, input.start, end, now);
    if (problem) return problem;
    const created = await insertAppointment(trx, {
      patient_id: patientId,
      provider_id: providerId,
      location_id: locationId,
      room_id: roomId,
      starts_at: input.start,
      ends_at: end,
      reason,
      created_by: ctx.access.identity.subject,
    });
    await appendAudit(trx, 'pms', [
      changeRecord(ctx, {
        action: 'appointment.book',
        entityType: 'appointment',
        entityId: created.id,
        patientId,
        before: null,
        after: appointmentState(created),
      }),
    ]);
    return created;
  });
}

/**
 * Locks an appointment and checks the caller may take the action on it (a denial is audited) and
 * that its status allows it; returns the locked row or the failure.
 */
async function lockFor(
  ctx: PmsContext,
  trx: Transaction<PmsDatabase>,
  id: string,
  action: AppointmentAction,
  field: string,
): Promise<AppointmentRow | MutationError> {
  const before = await lockAppointment(trx, id);
  const refused = await authorizeChange(ctx, writeActionOf(action), before?.patient_id ?? null, {
    db: trx,
    entityType: 'appointment',
    entityId: id,
  });
  if (refused) return refused;
  if (!before) return new NotFoundError(`Appointment ${id} was not found`, field);
  const problem = transitionProblem(before.status, action);
  if (problem) return new ConflictError(problem, field);
  return before;
}

function writeActionOf(action: AppointmentAction): WriteAction {
  return `appointment.${action}`;
}

function auditChange(ctx: PmsContext, action: AppointmentAction, before: AppointmentRow, after: AppointmentRow) {
  return changeRecord(ctx, {
    action: writeActionOf(action),
    patientId: before.patient_id,
    entityType: 'appointment',
    entityId: before.id,
    before: appointmentState(before),
    after: appointmentState(after),
  });
}

/** Moves a booked appointment to a new time (same provider, location and room); an overlap is a CONFLICT. */
export async function rescheduleAppointment(
  ctx: PmsContext,
  input: { readonly id: string; readonly start: Date; readonly end: Date },
  now: Date = new Date(),
): Promise<AppointmentRow | MutationError> {
  const { id } = input;
  const problem = durationProblem(input.start, input.end);
  if (problem) return new ValidationError(problem, 'input.end');
  return scheduling(ctx.db, async (trx) => {
    const before = await lockFor(ctx, trx, id, 'reschedule', 'input.id');
    if (!('status' in before)) return before;
    const timing = await timeProblem(trx, ctx.practiceTimeZone, before.provider_id, before.location_id, input.start, input.end, now);
    if (timing) return timing;
    const after = await updateAppointment(trx, id, { starts_at: input.start, ends_at: input.end });
    await appendAudit(trx, 'pms', [auditChange(ctx, 'reschedule', before, after)]);
    return after;
  });
}

/** Cancels a booked appointment, freeing its time. */
export async function cancelAppointment(
  ctx: PmsContext,
  input: { readonly id: string; readonly reason: string | null },
): Promise<AppointmentRow | MutationError> {
  const reason = input.reason?.trim() || null;
  if (reason && reason.length > 500) return new ValidationError('reason is longer than 500 characters', 'input.reason');
  const { id } = input;
  return scheduling(ctx.db, async (trx) => {
    const before = await lockFor(ctx, trx, id, 'cancel', 'input.id');
    if (!('status' in before)) return before;
    const after = await updateAppointment(trx, id, {
      status: 'cancelled',
      cancelled_at: new Date(),
      cancelled_by: ctx.access.identity.subject,
      cancel_reason: reason,
    });
    await appendAudit(trx, 'pms', [auditChange(ctx, 'cancel', before, after)]);
    return after;
  });
}

/** Marks a booked appointment a no-show (front desk), freeing its time. */
export async function markNoShow(ctx: PmsContext, input: { readonly id: string }): Promise<AppointmentRow | MutationError> {
  const { id } = input;
  return scheduling(ctx.db, async (trx) => {
    const before = await lockFor(ctx, trx, id, 'no_show', 'input.id');
    if (!('status' in before)) return before;
    const after = await updateAppointment(trx, id, { status: 'no_show' });
    await appendAudit(trx, 'pms', [auditChange(ctx, 'no_show', before, after)]);
    return after;
  });
}

/**
 * Checks a patient in (front desk): opens the visit's encounter (arrived, dated the appointment's day
 * in the practice's time zone), links it and marks the appointment ARRIVED, in one transaction.
 */
export async function checkIn(ctx: PmsContext, input: { readonly appointmentId: string }): Promise<EncounterRow | MutationError> {
  const id = input.appointmentId;
  return scheduling(ctx.db, async (trx) => {
    const before = await lockFor(ctx, trx, id, 'check_in', 'input.appointmentId');
    if (!('status' in before)) return before;
    const { date } = await localDayOf(trx, before.starts_at, ctx.practiceTimeZone);
    const encounter = await insertEncounter(trx, { patient_id: before.patient_id, provider_id: before.provider_id, service_date: date });
    const after = await updateAppointment(trx, id, { status: 'arrived', encounter_id: encounter.id });
    await appendAudit(trx, 'pms', [
      auditChange(ctx, 'check_in', before, after),
      changeRecord(ctx, {
        action: 'encounter.open',
        entityType: 'encounter',
        entityId: encounter.id,
        patientId: before.patient_id,
        before: null,
        after: encounterState(encounter),
      }),
    ]);
    return encounter;
  });
}

/** A provider's free start times on a day of the practice's time zone (the front desk, a patient, a clinician). */
export async function findFreeSlots(
  db: Kysely<PmsDatabase>,
  timeZone: string,
  input: { readonly providerId: string; readonly date: string; readonly durationMinutes: number; readonly locationId: string | null },
  now: Date = new Date(),
): Promise<Date[] | ValidationError | NotFoundError> {
  if (!isUuid(input.providerId)) return new ValidationError('providerId is not a valid id', 'providerId');
  if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 5 || input.durationMinutes > 240) {
    return new ValidationError('durationMinutes must be 5 to 240', 'durationMinutes');
  }
  const providerId = input.providerId.toLowerCase();
  const [provider] = await findProvidersByIds(db, [providerId]);
  if (!provider) return new NotFoundError(`Provider ${providerId} was not found`, 'providerId');
  const noon = await instantOf(db, input.date, '12:00', timeZone);
  const { weekday } = await localDayOf(db, noon, timeZone);
  const hours = (await findAvailability(db, providerId, weekday)).filter(
    (w) => !input.locationId || w.location_id === input.locationId.toLowerCase(),
  );
  const windows = await Promise.all(
    hours.map(async (w) => ({
      start: await instantOf(db, input.date, w.start_time, timeZone),
      end: await instantOf(db, input.date, w.end_time, timeZone),
    })),
  );
  const busy = (await findAppointmentsByProviderDays(db, [{ providerId, date: input.date }], timeZone, { activeOnly: true })).map((a) => ({
    start: new Date(a.starts_at),
    end: new Date(a.ends_at),
  }));
  // Appointments never run past midnight (they fit inside the day's hours), so the day's own are all that block it.
  return freeSlots({ windows, busy, durationMinutes: input.durationMinutes, notBefore: now });
}

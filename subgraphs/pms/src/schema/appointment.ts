import type { AppointmentRow, LocationRow, RoomRow } from '@chartbridge/db';
import { badUserInput, mutationResult, notFound, parseId } from '@chartbridge/kit';
import { builder } from '../builder.js';
import { appointmentById, appointmentsByProviderDay, locationById, roomById, roomsByLocationId } from '../data/appointment.loaders.js';
import { encounterById } from '../data/encounter.loaders.js';
import { providerById } from '../data/provider.loaders.js';
import { listLocations } from '../data/appointment.repository.js';
import {
  bookAppointment,
  cancelAppointment,
  checkIn,
  findFreeSlots,
  markNoShow,
  rescheduleAppointment,
} from '../services/scheduling.service.js';
import { findReachable, learnConsents } from './consent-scope.js';
import { Encounter } from './encounter.js';
import { Patient, requirePatient } from './patient.js';
import { Provider } from './provider.js';

export const AppointmentStatus = builder.enumType('AppointmentStatus', {
  values: {
    BOOKED: { value: 'booked', description: 'Booked, the patient not yet arrived.' },
    ARRIVED: { value: 'arrived', description: 'Checked in: its encounter is open.' },
    IN_PROGRESS: { value: 'in_progress' },
    COMPLETED: { value: 'completed' },
    CANCELLED: { value: 'cancelled' },
    NO_SHOW: { value: 'no_show', description: 'The patient did not come.' },
  } as const,
});

export const Location = builder.objectRef<LocationRow>('Location');
export const Room = builder.objectRef<RoomRow>('Room');

Location.implement({
  description: 'A site of the practice where patients are seen.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    name: t.exposeString('name', { nullable: false, dataClass: 'operational' }),
    rooms: t.field({
      type: [Room],
      nullable: false,
      dataClass: 'operational',
      resolve: (l, _args, ctx) => roomsByLocationId(ctx).load(l.id),
    }),
  }),
});

Room.implement({
  description: 'An exam room of a location.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    name: t.exposeString('name', { nullable: false, dataClass: 'operational' }),
    location: t.field({ type: Location, dataClass: 'reference', resolve: (r, _args, ctx) => locationById(ctx).load(r.location_id) }),
  }),
});

export const Appointment = builder.objectRef<AppointmentRow>('Appointment').implement({
  description: "A patient's booked time with a provider at a location; checking in opens its encounter.",
  patientOf: (a) => a.patient_id,
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, dataClass: 'reference' }),
    patient: t.field({
      type: Patient,
      nullable: false,
      dataClass: 'reference',
      resolve: (a, _args, ctx) => requirePatient(ctx, a.patient_id, 'Appointment'),
    }),
    provider: t.field({ type: Provider, dataClass: 'reference', resolve: (a, _args, ctx) => providerById(ctx).load(a.provider_id) }),
    location: t.field({ type: Location, dataClass: 'reference', resolve: (a, _args, ctx) => locationById(ctx).load(a.location_id) }),
    room: t.field({ type: Room, dataClass: 'reference', resolve: (a, _args, ctx) => (a.room_id ? roomById(ctx).load(a.room_id) : null) }),
    start: t.field({ type: 'DateTime', nullable: false, dataClass: 'operational', resolve: (a) => a.starts_at }),
    end: t.field({ type: 'DateTime', nullable: false, dataClass: 'operational', resolve: (a) => a.ends_at }),
    status: t.field({ type: AppointmentStatus, nullable: false, dataClass: 'operational', resolve: (a) => a.status }),
    reason: t.exposeString('reason', { dataClass: 'operational', description: 'Why the patient is coming, as told to the front desk.' }),
    encounter: t.field({
      type: Encounter,
      dataClass: 'reference',
      description: 'The visit opened by check-in; null before it.',
      resolve: (a, _args, ctx) => (a.encounter_id ? encounterById(ctx).load(a.encounter_id) : null),
    }),
  }),
});

builder.asEntity(Appointment, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async (ref, ctx) => {
    const appointment = await appointmentById(ctx).load(ref.id);
    if (appointment) await learnConsents(ctx, [appointment.patient_id]);
    return appointment;
  },
});

builder.objectField(Provider, 'schedule', (t) =>
  t.field({
    type: [Appointment],
    nullable: false,
    dataClass: 'operational',
    description: "The provider's appointments starting on this day of the practice's time zone (any status), earliest first.",
    args: { date: t.arg({ type: 'Date', required: true }) },
    resolve: async (p, { date }, ctx) => {
      ctx.access.assertCanListPatients();
      const rows = await appointmentsByProviderDay(ctx).load(`${p.id}|${date}`);
      await learnConsents(
        ctx,
        rows.map((r) => r.patient_id),
      );
      // A patient or partner sees only the appointments of patients it may reach.
      return rows.filter((r) => ctx.access.canReachPatient(r.patient_id));
    },
  }),
);

builder.queryFields((t) => ({
  appointment: t.field({
    type: Appointment,
    dataClass: 'reference',
    description: 'One appointment by id; null with NOT_FOUND when there is none.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => findReachable(ctx, 'Appointment', args.id, (id) => appointmentById(ctx).load(id)),
  }),
  locations: t.field({
    type: [Location],
    nullable: false,
    dataClass: 'reference',
    description: "The practice's locations by name.",
    resolve: async (_root, _args, ctx) => {
      const rows = await listLocations(ctx.db);
      for (const row of rows) locationById(ctx).prime(row.id, row);
      return rows;
    },
  }),
}));

const BookAppointmentInput = builder.inputType('BookAppointmentInput', {
  fields: (t) => ({
    patientId: t.id({ required: true }),
    providerId: t.id({ required: true }),
    locationId: t.id({ required: true }),
    roomId: t.id(),
    start: t.field({ type: 'DateTime', required: true }),
    end: t.field({ type: 'DateTime', description: 'Give end or durationMinutes.' }),
    durationMinutes: t.int({ description: '5 to 240; give end or durationMinutes.' }),
    reason: t.string(),
  }),
});

const RescheduleAppointmentInput = builder.inputType('RescheduleAppointmentInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    start: t.field({ type: 'DateTime', required: true }),
    end: t.field({ type: 'DateTime', required: true }),
  }),
});

const CancelAppointmentInput = builder.inputType('CancelAppointmentInput', {
  fields: (t) => ({ id: t.id({ required: true }), reason: t.string() }),
});

const MarkNoShowInput = builder.inputType('MarkNoShowInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const CheckInInput = builder.inputType('CheckInInput', { fields: (t) => ({ appointmentId: t.id({ required: true }) }) });

builder.mutationFields((t) => ({
  bookAppointment: t.field({
    type: mutationResult(builder, 'BookAppointmentResult', Appointment),
    nullable: false,
    dataClass: 'reference',
    writes: 'appointment.book',
    description: "Books an appointment inside the provider's hours (front desk, or a patient for themself); an overlap is a CONFLICT.",
    args: { input: t.arg({ type: BookAppointmentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      bookAppointment(ctx, {
        patientId: input.patientId,
        providerId: input.providerId,
        locationId: input.locationId,
        roomId: input.roomId ?? null,
        start: input.start,
        end: input.end ?? null,
        durationMinutes: input.durationMinutes ?? null,
        reason: input.reason ?? null,
      }),
  }),
  rescheduleAppointment: t.field({
    type: mutationResult(builder, 'RescheduleAppointmentResult', Appointment),
    nullable: false,
    dataClass: 'reference',
    writes: 'appointment.reschedule',
    description: 'Moves a booked appointment to a new time with the same provider, location and room.',
    args: { input: t.arg({ type: RescheduleAppointmentInput, required: true }) },
    resolve: (_root, { input }, ctx) => rescheduleAppointment(ctx, input),
  }),
  cancelAppointment: t.field({
    type: mutationResult(builder, 'CancelAppointmentResult', Appointment),
    nullable: false,
    dataClass: 'reference',
    writes: 'appointment.cancel',
    description: 'Cancels a booked appointment, freeing its time.',
    args: { input: t.arg({ type: CancelAppointmentInput, required: true }) },
    resolve: (_root, { input }, ctx) => cancelAppointment(ctx, { id: input.id, reason: input.reason ?? null }),
  }),
  markNoShow: t.field({
    type: mutationResult(builder, 'MarkNoShowResult', Appointment),
    nullable: false,
    dataClass: 'reference',
    writes: 'appointment.no_show',
    description: 'Marks a booked appointment a no-show (front desk), freeing its time.',
    args: { input: t.arg({ type: MarkNoShowInput, required: true }) },
    resolve: (_root, { input }, ctx) => markNoShow(ctx, input),
  }),
  checkIn: t.field({
    type: mutationResult(builder, 'CheckInResult', Encounter),
    nullable: false,
    dataClass: 'reference',
    writes: 'appointment.check_in',
    description: "Checks the patient in (front desk): opens the visit's encounter and marks the appointment ARRIVED.",
    args: { input: t.arg({ type: CheckInInput, required: true }) },
    resolve: (_root, { input }, ctx) => checkIn(ctx, input),
  }),
}));

builder.queryFields((t) => ({
  freeSlots: t.field({
    type: ['DateTime'],
    nullable: false,
    dataClass: 'operational',
    description:
      "A provider's free start times on a day of the practice's time zone, every 15 minutes inside their hours, none in the past.",
    args: {
      providerId: t.arg.id({ required: true }),
      date: t.arg({ type: 'Date', required: true }),
      durationMinutes: t.arg.int({ required: true }),
      locationId: t.arg.id(),
    },
    resolve: async (_root, args, ctx) => {
      const slots = await findFreeSlots(ctx.db, ctx.practiceTimeZone, {
        providerId: args.providerId,
        date: args.date,
        durationMinutes: args.durationMinutes,
        locationId: args.locationId ? parseId(args.locationId, 'locationId') : null,
      });
      if (Array.isArray(slots)) return slots;
      if (slots.code === 'NOT_FOUND') throw notFound('Provider', args.providerId);
      throw badUserInput(slots.message, slots.field ?? 'input');
    },
  }),
}));

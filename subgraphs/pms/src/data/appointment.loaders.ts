import type { AppointmentRow, LocationRow, RoomRow } from '@chartbridge/db';
import { byId, defineLoader, groupByKey, groupedBy } from '@chartbridge/kit';
import type { PmsContext } from '../context.js';
import {
  findAppointmentsByIds,
  findAppointmentsByProviderDays,
  findLocationsByIds,
  findRoomsByIds,
  findRoomsByLocationIds,
} from './appointment.repository.js';

export const appointmentById = byId<PmsContext, AppointmentRow>(findAppointmentsByIds);

export const locationById = byId<PmsContext, LocationRow>(findLocationsByIds);

export const roomById = byId<PmsContext, RoomRow>(findRoomsByIds);

export const roomsByLocationId = groupedBy<PmsContext, RoomRow>(findRoomsByLocationIds, (row) => row.location_id);

/** A provider's appointments starting on a day of the practice's time zone; key `providerId|YYYY-MM-DD`. */
export const appointmentsByProviderDay = defineLoader<PmsContext, string, AppointmentRow[]>(async (ctx, keys) => {
  const pairs = keys.map((key) => {
    const [providerId = '', date = ''] = key.split('|');
    return { providerId, date };
  });
  const rows = await findAppointmentsByProviderDays(ctx.db, pairs, ctx.practiceTimeZone);
  return groupByKey(keys, rows, (row) => `${row.provider_id}|${row.day}`);
});

import type {
  AppointmentRow,
  AppointmentStatus,
  AvailabilityRow,
  EncounterRow,
  LocationRow,
  NewAppointment,
  PmsDatabase,
  RoomRow,
} from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';

/** The statuses that hold a provider's (and a room's) time: the exclusion constraints' predicate. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['booked', 'arrived', 'in_progress'];

export async function findAppointmentsByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<AppointmentRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.appointment').selectAll().where('id', 'in', valid).execute();
}

export async function findLocationsByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<LocationRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.location').selectAll().where('id', 'in', valid).execute();
}

export async function findRoomsByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<RoomRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.room').selectAll().where('id', 'in', valid).execute();
}

export async function findRoomsByLocationIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<RoomRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.room')
    .selectAll()
    .where('location_id', 'in', valid)
    .orderBy('location_id')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function listLocations(db: Kysely<PmsDatabase>): Promise<LocationRow[]> {
  return db.selectFrom('pms.location').selectAll().orderBy('name').orderBy('id').execute();
}

/** A provider's weekly hours on one weekday (0 Sunday .. 6), earliest first. */
export async function findAvailability(db: Kysely<PmsDatabase>, providerId: string, weekday: number): Promise<AvailabilityRow[]> {
  return db
    .selectFrom('pms.availability')
    .selectAll()
    .where('provider_id', '=', providerId)
    .where('weekday', '=', weekday)
    .orderBy('start_time')
    .execute();
}

export interface ProviderDay {
  readonly providerId: string;
  /** A calendar day `YYYY-MM-DD` in the practice time zone. */
  readonly date: string;
}

/**
 * The appointments starting on these (provider, day) pairs, in one statement; the day's bounds are
 * computed by PostgreSQL from the practice's time zone (so daylight-saving days have 23 or 25 hours).
 */
export async function findAppointmentsByProviderDays(
  db: Kysely<PmsDatabase>,
  keys: readonly ProviderDay[],
  timeZone: string,
  options: { readonly activeOnly?: boolean } = {},
): Promise<Array<AppointmentRow & { day: string }>> {
  const valid = keys.filter((k) => uuidsOnly([k.providerId]).length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(k.date));
  if (valid.length === 0) return [];
  const active = options.activeOnly ? sql`and a.status in (${sql.join(ACTIVE_STATUSES)})` : sql``;
  const { rows } = await sql<AppointmentRow & { day: string }>`
    select a.*, k.day::text as day
    from unnest(${valid.map((k) => k.providerId)}::uuid[], ${valid.map((k) => k.date)}::date[]) as k (provider_id, day)
    join pms.appointment a
      on a.provider_id = k.provider_id
     and a.starts_at >= (k.day::timestamp at time zone ${timeZone})
     and a.starts_at < ((k.day + 1)::timestamp at time zone ${timeZone})
     ${active}
    order by a.starts_at, a.id`.execute(db);
  return rows;
}

/** The calendar date, weekday (0 Sunday) and wall-clock time `HH:MM:SS` of an instant in the practice's time zone, by PostgreSQL. */
export async function localDayOf(
  db: Kysely<PmsDatabase>,
  instant: Date,
  timeZone: string,
): Promise<{ date: string; weekday: number; time: string }> {
  const { rows } = await sql<{ date: string; weekday: number; start_time: string }>`
    select (${instant}::timestamptz at time zone ${timeZone})::date::text as date,
           extract(dow from ${instant}::timestamptz at time zone ${timeZone})::int as weekday,
           (${instant}::timestamptz at time zone ${timeZone})::time::text as start_time`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('localDayOf returned no row');
  return { date: row.date, weekday: Number(row.weekday), time: row.start_time };
}

/** The instant of a local wall-clock time on a day in the practice's time zone, by PostgreSQL. */
export async function instantOf(db: Kysely<PmsDatabase>, date: string, time: string, timeZone: string): Promise<Date> {
  const { rows } = await sql<{ at: Date }>`select ((${date}::date + ${time}::time)::timestamp at time zone ${timeZone}) as at`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('instantOf returned no row');
  return new Date(row.at);
}

export async function lockAppointment(trx: Transaction<PmsDatabase>, id: string): Promise<AppointmentRow | undefined> {
  return trx.selectFrom('pms.appointment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertAppointment(trx: Transaction<PmsDatabase>, row: NewAppointment): Promise<AppointmentRow> {
  return trx.insertInto('pms.appointment').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateAppointment(
  trx: Transaction<PmsDatabase>,
  id: string,
  changes: Partial<
    Pick<AppointmentRow, 'starts_at' | 'ends_at' | 'status' | 'encounter_id' | 'cancelled_at' | 'cancelled_by' | 'cancel_reason'>
  >,
): Promise<AppointmentRow> {
  return trx
    .updateTable('pms.appointment')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertEncounter(
  trx: Transaction<PmsDatabase>,
  row: { patient_id: string; provider_id: string; service_date: string },
): Promise<EncounterRow> {
  return trx
    .insertInto('pms.encounter')
    .values({ ...row, status: 'arrived' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

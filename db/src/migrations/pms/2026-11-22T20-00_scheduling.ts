import { sql, type Kysely } from 'kysely';

// Scheduling: the practice's locations and rooms, providers' weekly hours, and appointments. No
// double booking is enforced by the database itself: two exclusion constraints refuse overlapping
// live appointments (booked, arrived, in progress) of one provider, or of one room, whatever the
// number of concurrent requests. Check-in opens an encounter and links it (at most once).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists btree_gist`.execute(db);

  await sql`
    create table pms.location (
      id uuid primary key default gen_random_uuid(),
      name text not null unique check (name <> ''),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table pms.room (
      id uuid primary key default gen_random_uuid(),
      location_id uuid not null references pms.location (id),
      name text not null check (name <> ''),
      created_at timestamptz not null default now(),
      unique (location_id, name)
    )`.execute(db);

  // Weekly hours: weekday 0 (Sunday) to 6, wall-clock times of the practice's time zone.
  await sql`
    create table pms.availability (
      id uuid primary key default gen_random_uuid(),
      provider_id uuid not null references pms.provider (id),
      location_id uuid not null references pms.location (id),
      weekday smallint not null check (weekday between 0 and 6),
      start_time time not null,
      end_time time not null,
      created_at timestamptz not null default now(),
      check (end_time > start_time)
    )`.execute(db);
  await sql`create index availability_provider_idx on pms.availability (provider_id, weekday, start_time)`.execute(db);

  await sql`
    create table pms.appointment (
      id uuid primary key default gen_random_uuid(),
      patient_id uuid not null references pms.patient (id),
      provider_id uuid not null references pms.provider (id),
      location_id uuid not null references pms.location (id),
      room_id uuid references pms.room (id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      status text not null default 'booked'
        check (status in ('booked', 'arrived', 'in_progress', 'completed', 'cancelled', 'no_show')),
      reason text check (reason is null or length(reason) <= 500),
      encounter_id uuid unique references pms.encounter (id),
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      cancelled_at timestamptz,
      cancelled_by text,
      cancel_reason text check (cancel_reason is null or length(cancel_reason) <= 500),
      check (ends_at > starts_at),
      check ((status = 'cancelled') = (cancelled_at is not null)),
      check ((cancelled_at is null) = (cancelled_by is null)),
      check (encounter_id is null or status in ('arrived', 'in_progress', 'completed')),
      constraint appointment_provider_no_overlap exclude using gist (provider_id with =, tstzrange(starts_at, ends_at) with &&)
        where (status in ('booked', 'arrived', 'in_progress')),
      constraint appointment_room_no_overlap exclude using gist (room_id with =, tstzrange(starts_at, ends_at) with &&)
        where (room_id is not null and status in ('booked', 'arrived', 'in_progress'))
    )`.execute(db);
  await sql`create index appointment_patient_idx on pms.appointment (patient_id, starts_at)`.execute(db);
  await sql`create index appointment_provider_start_idx on pms.appointment (provider_id, starts_at)`.execute(db);

  await sql`grant select, insert, update on pms.location, pms.room, pms.availability, pms.appointment to chartbridge_pms`.execute(db);
}

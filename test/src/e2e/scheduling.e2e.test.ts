import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aWeekAhead, openEveryDay } from '../support/clinic-hours.js';
import { answerOn } from '../support/mutations.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Scheduling through the gateway: booking inside a provider's hours, no double booking enforced by
// the database (even under 50 concurrent requests), rescheduling, cancelling, no-shows, and
// check-in opening the visit's encounter. Every change is transactional and audited; every bad
// input names its field and writes nothing.

let platform: TestPlatform;
const FRONT_DESK = { role: 'front_desk' as const };
const ZONE = 'America/New_York';
const fx = { patient: '', other: '', provider: '', location: '', room: '', otherLocation: '', otherRoom: '' };
/** A day a week ahead in the practice's time zone: always in the future, with test hours every weekday. */
let day = '';

const BOOK = /* GraphQL */ `
  mutation ($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ... on Appointment {
        id
        start
        end
        status
        reason
        patient {
          id
        }
        provider {
          id
        }
        location {
          id
          name
        }
        room {
          id
          name
        }
        encounter {
          id
        }
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const RESCHEDULE = /* GraphQL */ `
  mutation ($input: RescheduleAppointmentInput!) {
    rescheduleAppointment(input: $input) {
      __typename
      ... on Appointment {
        id
        start
        end
        status
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const CANCEL = /* GraphQL */ `
  mutation ($input: CancelAppointmentInput!) {
    cancelAppointment(input: $input) {
      __typename
      ... on Appointment {
        id
        status
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const NO_SHOW = /* GraphQL */ `
  mutation ($id: ID!) {
    markNoShow(input: { id: $id }) {
      __typename
      ... on Appointment {
        id
        status
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const CHECK_IN = /* GraphQL */ `
  mutation ($id: ID!) {
    checkIn(input: { appointmentId: $id }) {
      __typename
      ... on Encounter {
        id
        status
        serviceDate
        patient {
          id
        }
        provider {
          id
        }
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;

interface Outcome {
  __typename: string;
  id?: string;
  start?: string;
  end?: string;
  status?: string;
  serviceDate?: string;
  code?: string;
  field?: string | null;
  message?: string;
}

/** The instant of a wall-clock time on `day` in the practice's time zone, as PostgreSQL computes it. */
async function at(time: string, date = day): Promise<string> {
  const { rows } = await sql<{ at: Date }>`select ((${date}::date + ${time}::time)::timestamp at time zone ${ZONE}) as at`.execute(
    platform.owner.db,
  );
  return new Date(rows[0]!.at).toISOString();
}

const mutate = (
  query: string,
  variables: Record<string, unknown>,
  as: Parameters<TestPlatform['query']>[2] extends infer O ? (O extends { as?: infer A } ? A : never) : never = FRONT_DESK,
) => answerOn<Outcome>(platform, query, variables, { as });

let slot = 0;
const serviceDates = new Map<string, string>();
/** A fresh 30-minute time inside the test hours (the test day, then the days after), so tests never collide. */
async function nextTime(): Promise<{ start: string; end: string }> {
  const n = slot++;
  const minutes = 7 * 60 + 30 * (n % 24);
  const { rows } = await sql<{ date: string }>`select (${day}::date + ${Math.floor(n / 24)}::int)::text as date`.execute(platform.owner.db);
  const date = rows[0]!.date;
  const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const time = { start: await at(hh(minutes), date), end: await at(hh(minutes + 30), date) };
  serviceDates.set(time.start, date);
  return time;
}

async function book(
  extra: Record<string, unknown> = {},
  as: typeof FRONT_DESK | { role: 'patient'; patient: string } = FRONT_DESK,
): Promise<Outcome> {
  const time = await nextTime();
  return mutate(
    BOOK,
    {
      input: {
        patientId: fx.patient,
        providerId: fx.provider,
        locationId: fx.location,
        roomId: fx.room,
        ...time,
        reason: 'Follow-up',
        ...extra,
      },
    },
    as,
  );
}

async function count(table: 'appointment' | 'encounter'): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`pms.${table}`)}`.execute(platform.owner.db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 12, seed: 7 });
  const db = platform.owner.db;
  const { rows: patients } = await sql<{ id: string }>`select id from pms.patient order by id limit 2`.execute(db);
  fx.patient = patients[0]!.id;
  fx.other = patients[1]!.id;
  const { rows: providers } = await sql<{ id: string }>`select id from pms.provider order by id limit 1`.execute(db);
  fx.provider = providers[0]!.id;
  const { rows: locations } = await sql<{
    id: string;
  }>`insert into pms.location (name) values ('E2E Clinic'), ('E2E Annex') returning id`.execute(db);
  fx.location = locations[0]!.id;
  fx.otherLocation = locations[1]!.id;
  const { rows: rooms } = await sql<{ id: string }>`
    insert into pms.room (location_id, name) values (${fx.location}, 'Exam 1'), (${fx.otherLocation}, 'Annex 1') returning id`.execute(db);
  fx.room = rooms[0]!.id;
  fx.otherRoom = rooms[1]!.id;
  // Test hours 07:00-20:00 every day of the week at the E2E clinic only.
  await openEveryDay(db, fx.provider, fx.location);
  day = await aWeekAhead(db, ZONE);
});

afterAll(async () => {
  await platform?.stop();
});

describe('booking', () => {
  test("books an appointment, readable by id and on the provider's schedule, with its audit record", async () => {
    const time = await nextTime();
    const booked = await mutate(BOOK, {
      input: { patientId: fx.patient, providerId: fx.provider, locationId: fx.location, roomId: fx.room, ...time, reason: 'Knee pain' },
    });
    expect(booked).toMatchObject({
      __typename: 'Appointment',
      status: 'BOOKED',
      start: time.start,
      end: time.end,
      reason: 'Knee pain',
      patient: { id: fx.patient },
      room: { name: 'Exam 1' },
      encounter: null,
    });
    const read = await platform.query<{ appointment: { id: string; status: string } }>(
      'query ($id: ID!) { appointment(id: $id) { id status } }',
      { id: booked.id },
      { as: FRONT_DESK },
    );
    expect(read.data?.appointment).toEqual({ id: booked.id, status: 'BOOKED' });
    const schedule = await platform.query<{ provider: { schedule: Array<{ id: string; start: string }> } }>(
      'query ($id: ID!, $date: Date!) { provider(id: $id) { schedule(date: $date) { id start } } }',
      { id: fx.provider, date: day },
      { as: FRONT_DESK },
    );
    expect(schedule.errors).toBeUndefined();
    expect(schedule.data!.provider.schedule.map((a) => a.id)).toContain(booked.id);
    const starts = schedule.data!.provider.schedule.map((a) => a.start);
    expect(starts).toEqual([...starts].sort());
    const { rows } = await sql<{ outcome: string; after_hash: string | null }>`
      select outcome, after_hash from audit.event where chain = 'pms' and action = 'appointment.book' and entity_id = ${booked.id}`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([{ outcome: 'success', after_hash: expect.any(String) }]);
  });

  test('the day before, the schedule does not show it', async () => {
    const { rows } = await sql<{ next: string }>`select (${day}::date - 1)::text as next`.execute(platform.owner.db);
    const schedule = await platform.query<{ provider: { schedule: unknown[] } }>(
      'query ($id: ID!, $date: Date!) { provider(id: $id) { schedule(date: $date) { id } } }',
      { id: fx.provider, date: rows[0]!.next },
      { as: FRONT_DESK },
    );
    expect(schedule.data!.provider.schedule).toEqual([]);
  });

  test('accepts durationMinutes instead of end', async () => {
    const { start } = await nextTime();
    const booked = await mutate(BOOK, {
      input: { patientId: fx.patient, providerId: fx.provider, locationId: fx.location, start, durationMinutes: 20 },
    });
    expect(booked.__typename).toBe('Appointment');
    expect(new Date(booked.end!).getTime() - new Date(start).getTime()).toBe(20 * 60_000);
  });

  test('a patient books for themself, not for someone else (refusal audited)', async () => {
    const me = { role: 'patient' as const, patient: fx.patient };
    expect((await book({}, me)).__typename).toBe('Appointment');
    const before = await count('appointment');
    expect(await book({ patientId: fx.other }, me)).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await count('appointment')).toBe(before);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit.event where chain = 'pms' and action = 'appointment.book' and outcome = 'denied' and patient_id = ${fx.other}`.execute(
      platform.owner.db,
    );
    expect(rows[0]!.n).toBe(1);
  });

  test('a clinician may not book', async () => {
    expect(await book({}, { role: 'clinician' } as never)).toMatchObject({ __typename: 'ForbiddenError' });
  });

  test('an overlapping booking of the same provider is a CONFLICT on input.start', async () => {
    const time = await nextTime();
    const input = { patientId: fx.patient, providerId: fx.provider, locationId: fx.location, ...time };
    expect((await mutate(BOOK, { input })).__typename).toBe('Appointment');
    const before = await count('appointment');
    const shifted = {
      ...input,
      patientId: fx.other,
      start: new Date(new Date(time.start).getTime() + 10 * 60_000).toISOString(),
      end: new Date(new Date(time.end).getTime() + 10 * 60_000).toISOString(),
    };
    expect(await mutate(BOOK, { input: shifted })).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'input.start' });
    expect(await count('appointment')).toBe(before);
  });

  test.each([
    ['a bad patient id', { patientId: 'nope' }, 'ValidationError', 'input.patientId'],
    ['an unknown patient', { patientId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.patientId'],
    ['an unknown provider', { providerId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.providerId'],
    ['an unknown location', { locationId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.locationId'],
    ['a room of another location', { roomId: 'OTHER_ROOM' }, 'ValidationError', 'input.roomId'],
    ['end before start', { end: 'START_MINUS_5' }, 'ValidationError', 'input.end'],
    ['3 minutes', { end: 'START_PLUS_3' }, 'ValidationError', 'input.end'],
    ['241 minutes', { end: undefined, durationMinutes: 241 }, 'ValidationError', 'input.durationMinutes'],
    ['both end and durationMinutes', { durationMinutes: 30 }, 'ValidationError', 'input.durationMinutes'],
    ['neither end nor durationMinutes', { end: undefined }, 'ValidationError', 'input.end'],
    ['a time in the past', { start: 'PAST', end: 'PAST_END' }, 'ValidationError', 'input.start'],
    ["outside the provider's hours", { start: 'LATE', end: 'LATE_END' }, 'ValidationError', 'input.start'],
    ["a location without the provider's hours", { locationId: 'OTHER_LOCATION', roomId: null }, 'ValidationError', 'input.start'],
  ] as const)('refuses %s, naming the field and writing nothing', async (_name, change, typename, field) => {
    const time = await nextTime();
    const plus = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
    const values: Record<string, unknown> = {
      OTHER_ROOM: fx.otherRoom,
      OTHER_LOCATION: fx.otherLocation,
      START_MINUS_5: plus(time.start, -5),
      START_PLUS_3: plus(time.start, 3),
      PAST: plus(new Date().toISOString(), -24 * 60),
      PAST_END: plus(new Date().toISOString(), -23 * 60),
      LATE: await at('19:45'),
      LATE_END: await at('20:15'),
    };
    const merged: Record<string, unknown> = {
      patientId: fx.patient,
      providerId: fx.provider,
      locationId: fx.location,
      roomId: fx.room,
      ...time,
    };
    for (const [key, value] of Object.entries(change)) merged[key] = typeof value === 'string' && value in values ? values[value] : value;
    const input = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
    const before = await count('appointment');
    expect(await mutate(BOOK, { input })).toMatchObject({ __typename: typename, field });
    expect(await count('appointment')).toBe(before);
  });
});

describe('changing an appointment', () => {
  test('reschedules a booked appointment, and refuses a move onto another booking', async () => {
    const a = await book();
    const b = await book();
    const time = await nextTime();
    const moved = await mutate(RESCHEDULE, { input: { id: a.id, ...time } });
    expect(moved).toMatchObject({ __typename: 'Appointment', id: a.id, start: time.start, end: time.end, status: 'BOOKED' });
    const clash = await mutate(RESCHEDULE, { input: { id: a.id, start: b.start, end: b.end } });
    expect(clash).toMatchObject({ __typename: 'ConflictError', field: 'input.start' });
    const { rows } = await sql<{ starts_at: Date }>`select starts_at from pms.appointment where id = ${a.id!}`.execute(platform.owner.db);
    expect(new Date(rows[0]!.starts_at).toISOString()).toBe(time.start);
  });

  test('cancelling frees the time for another booking; cancelling again is a CONFLICT', async () => {
    const a = await book();
    expect(await mutate(CANCEL, { input: { id: a.id, reason: 'Patient called' } })).toMatchObject({
      __typename: 'Appointment',
      status: 'CANCELLED',
    });
    const again = await mutate(BOOK, {
      input: { patientId: fx.other, providerId: fx.provider, locationId: fx.location, roomId: fx.room, start: a.start, end: a.end },
    });
    expect(again.__typename).toBe('Appointment');
    expect(await mutate(CANCEL, { input: { id: a.id } })).toMatchObject({ __typename: 'ConflictError', field: 'input.id' });
    expect(await mutate(RESCHEDULE, { input: { id: a.id, ...(await nextTime()) } })).toMatchObject({
      __typename: 'ConflictError',
      field: 'input.id',
    });
    const { rows } = await sql<{
      action: string;
    }>`select action from audit.event where chain = 'pms' and entity_id = ${a.id!} and outcome = 'success'`.execute(platform.owner.db);
    expect(rows.map((r) => r.action).sort()).toEqual(['appointment.book', 'appointment.cancel']);
  });

  test('marks a no-show (front desk only)', async () => {
    const a = await book();
    expect(await mutate(NO_SHOW, { id: a.id }, { role: 'patient', patient: fx.patient } as never)).toMatchObject({
      __typename: 'ForbiddenError',
    });
    expect(await mutate(NO_SHOW, { id: a.id })).toMatchObject({ __typename: 'Appointment', status: 'NO_SHOW' });
    expect(await mutate(CHECK_IN, { id: a.id })).toMatchObject({ __typename: 'ConflictError', field: 'input.appointmentId' });
  });

  test('refuses an unknown or malformed id', async () => {
    expect(await mutate(CANCEL, { input: { id: 'x' } })).toMatchObject({ __typename: 'ValidationError', field: 'input.id' });
    expect(await mutate(NO_SHOW, { id: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      __typename: 'NotFoundError',
      field: 'input.id',
    });
  });
});

describe('check-in', () => {
  test('opens the encounter, links it to the appointment, and is a CONFLICT the second time', async () => {
    const a = await book();
    const encounters = await count('encounter');
    const opened = await mutate(CHECK_IN, { id: a.id });
    const serviceDate = serviceDates.get(a.start!);
    expect(opened).toMatchObject({
      __typename: 'Encounter',
      status: 'ARRIVED',
      serviceDate,
      patient: { id: fx.patient },
      provider: { id: fx.provider },
    });
    expect(await count('encounter')).toBe(encounters + 1);
    const read = await platform.query<{ encounter: { id: string; serviceDate: string } }>(
      'query ($id: ID!) { encounter(id: $id) { id serviceDate } }',
      { id: opened.id },
      { as: { role: 'clinician' } },
    );
    expect(read.data?.encounter).toEqual({ id: opened.id, serviceDate });
    const appointment = await platform.query<{ appointment: { status: string; encounter: { id: string } } }>(
      'query ($id: ID!) { appointment(id: $id) { status encounter { id } } }',
      { id: a.id },
      { as: FRONT_DESK },
    );
    expect(appointment.data?.appointment).toEqual({ status: 'ARRIVED', encounter: { id: opened.id } });
    expect(await mutate(CHECK_IN, { id: a.id })).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.appointmentId',
    });
    expect(await mutate(CANCEL, { input: { id: a.id } })).toMatchObject({ __typename: 'ConflictError' });
    expect(await count('encounter')).toBe(encounters + 1);
  });

  test('a cancelled appointment cannot be checked in, and nothing is opened', async () => {
    const a = await book();
    await mutate(CANCEL, { input: { id: a.id } });
    const encounters = await count('encounter');
    expect(await mutate(CHECK_IN, { id: a.id })).toMatchObject({ __typename: 'ConflictError', field: 'input.appointmentId' });
    expect(await count('encounter')).toBe(encounters);
  });

  test('a clinician may not check in (refusal audited)', async () => {
    const a = await book();
    expect(await mutate(CHECK_IN, { id: a.id }, { role: 'clinician' } as never)).toMatchObject({ __typename: 'ForbiddenError' });
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from audit.event where chain = 'pms' and action = 'appointment.check_in' and outcome = 'denied' and entity_id = ${a.id!}`.execute(
      platform.owner.db,
    );
    expect(rows[0]!.n).toBe(1);
  });
});

describe('free slots', () => {
  test('are every 15 minutes inside the hours, minus the booked ones', async () => {
    const { rows } = await sql<{ next: string }>`select (${day}::date + 20)::text as next`.execute(platform.owner.db);
    const next = rows[0]!.next;
    const q = 'query ($p: ID!, $d: Date!, $m: Int!) { freeSlots(providerId: $p, date: $d, durationMinutes: $m) }';
    const free = async () => {
      const res = await platform.query<{ freeSlots: string[] }>(q, { p: fx.provider, d: next, m: 30 }, { as: FRONT_DESK });
      expect(res.errors).toBeUndefined();
      return res.data!.freeSlots;
    };
    const all = await free();
    // 07:00 to 19:30 inclusive, every 15 minutes: 51 starts.
    expect(all).toHaveLength(51);
    expect(all[0]).toBe(await at('07:00', next));
    expect(all.at(-1)).toBe(await at('19:30', next));
    const booked = await mutate(BOOK, {
      input: {
        patientId: fx.patient,
        providerId: fx.provider,
        locationId: fx.location,
        start: await at('10:00', next),
        end: await at('10:30', next),
      },
    });
    expect(booked.__typename).toBe('Appointment');
    const after = await free();
    // 09:45, 10:00 and 10:15 now overlap it; 09:30 ends as it starts and 10:30 starts as it ends.
    expect(after).toHaveLength(48);
    expect(after).toContain(await at('09:30', next));
    expect(after).toContain(await at('10:30', next));
    expect(after).not.toContain(await at('10:15', next));
    const bad = await platform.query(q, { p: fx.provider, d: next, m: 3 }, { as: FRONT_DESK });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });
});

describe('no double booking under concurrency', () => {
  test('50 concurrent bookings of one provider and slot give exactly one appointment and 49 CONFLICTs', async () => {
    const { rows } = await sql<{ next: string }>`select (${day}::date + 21)::text as next`.execute(platform.owner.db);
    const start = await at('11:00', rows[0]!.next);
    const end = await at('11:30', rows[0]!.next);
    const before = await count('appointment');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        mutate(BOOK, {
          input: {
            patientId: i % 2 ? fx.patient : fx.other,
            providerId: fx.provider,
            locationId: fx.location,
            start,
            end,
            reason: `race ${i}`,
          },
        }),
      ),
    );
    const kinds = results.map((r) => r.__typename);
    expect(kinds.filter((k) => k === 'Appointment')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'ConflictError' && r.field === 'input.start')).toHaveLength(49);
    expect(await count('appointment')).toBe(before + 1);
  }, 60_000);
});

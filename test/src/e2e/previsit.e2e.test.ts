import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Clinical preparation: a provider's day from the PMS schedule, each appointment with the EHR's
// pre-visit summary, in one query whose SQL cost does not grow with the number of appointments.

let platform: TestPlatform;
const DAY = '2027-03-01';
const day = { small: '', large: '', patients: [] as string[] };

const DAY_QUERY = (providerId: string) => `{
  provider(id: "${providerId}") {
    schedule(date: "${DAY}") {
      id start patient { id mrn }
      previsitSummary { allergies { substance } activeMedications { id } activeProblems { code { code } } alerts { kind severity message } lastVitals { id } }
    }
  }
}`;

interface Day {
  provider: {
    schedule: Array<{
      id: string;
      patient: { id: string };
      previsitSummary: {
        allergies: Array<{ substance: string }>;
        activeProblems: Array<{ code: { code: string } }>;
        alerts: Array<{ kind: string }>;
      };
    }>;
  };
}

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 40, seed: 8 });
  const owner = platform.owner.db;
  const providers = await platform.pmsDatabase.db.selectFrom('pms.provider').select('id').orderBy('id').limit(2).execute();
  day.small = providers[0]!.id;
  day.large = providers[1]!.id;
  const patients = await platform.pmsDatabase.db.selectFrom('pms.patient').select('id').orderBy('id').limit(10).execute();
  day.patients = patients.map((p) => p.id);
  const { rows } = await sql<{ id: string }>`insert into pms.location (name) values ('Previsit test clinic') returning id`.execute(owner);
  const location = rows[0]!.id;
  // Two appointments for one provider, eight for the other, on the same day.
  const book = async (providerId: string, patientId: string, slot: number) => {
    const start = `${DAY} ${String(8 + Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}:00 America/New_York`;
    await sql`insert into pms.appointment (patient_id, provider_id, location_id, starts_at, ends_at, created_by)
              values (${patientId}, ${providerId}, ${location}, ${start}::timestamptz, ${start}::timestamptz + interval '30 minutes', 'test')`.execute(
      owner,
    );
  };
  for (let i = 0; i < 2; i += 1) await book(day.small, day.patients[i]!, i);
  for (let i = 0; i < 8; i += 1) await book(day.large, day.patients[i + 2]!, i);
  // Something on the chart to summarize: a problem for the first patient of the large day.
  const res = await platform.query(`mutation ($input: RecordProblemInput!) { recordProblem(input: $input) { __typename } }`, {
    input: { patientId: day.patients[2], code: 'I10', description: 'Essential hypertension' },
  });
  expect(res.data).toEqual({ recordProblem: { __typename: 'Problem' } });
});

afterAll(async () => {
  await platform?.stop();
});

describe("a provider's day", () => {
  test('shows each appointment with its pre-visit summary from the EHR', async () => {
    const res = await platform.query<Day>(DAY_QUERY(day.large));
    expect(res.errors).toBeUndefined();
    const schedule = res.data!.provider.schedule;
    expect(schedule.map((a) => a.patient.id)).toEqual(day.patients.slice(2, 10));
    const first = schedule[0]!.previsitSummary;
    expect(first.activeProblems).toEqual([{ code: { code: 'I10' } }]);
    for (const appointment of schedule) {
      const active = await platform.ehrDatabase.db
        .selectFrom('ehr.allergy')
        .select('substance')
        .where('patient_id', '=', appointment.patient.id)
        .where('status', '=', 'active')
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
      expect(appointment.previsitSummary.allergies).toEqual(active);
    }
  });

  test('costs the same number of SQL statements for 8 appointments as for 2', async () => {
    const statements = async (providerId: string) => {
      const before = platform.pmsDatabase.statements.count + platform.ehrDatabase.statements.count;
      const res = await platform.query<Day>(DAY_QUERY(providerId));
      expect(res.errors).toBeUndefined();
      return {
        appointments: res.data!.provider.schedule.length,
        statements: platform.pmsDatabase.statements.count + platform.ehrDatabase.statements.count - before,
      };
    };
    const small = await statements(day.small);
    const large = await statements(day.large);
    expect([small.appointments, large.appointments]).toEqual([2, 8]);
    expect(large.statements).toBe(small.statements);
  });

  test('a biller sees the schedule but not the clinical summary', async () => {
    const res = await platform.query<Day>(DAY_QUERY(day.small), {}, { as: { role: 'biller' } });
    expect(res.data?.provider.schedule).toHaveLength(2);
    for (const appointment of res.data!.provider.schedule) expect(appointment.previsitSummary).toBeNull();
    expect(res.errors?.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
  });
});

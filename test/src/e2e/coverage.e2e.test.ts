import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aWeekAhead, openEveryDay } from '../support/clinic-hours.js';
import { answerOn } from '../support/mutations.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Insurance and eligibility through the gateway: the front desk records coverages, the front desk
// and billers check eligibility through the built-in adapter (active inside the effective period,
// with the copay and what is left of the deductible), every check and its answer are stored and
// audited, and an appointment shows the latest check of its patient's primary coverage for its day
// without ever running one. Every bad input names its field and writes nothing.

let platform: TestPlatform;
const FRONT_DESK = { role: 'front_desk' as const };
const BILLER = { role: 'biller' as const };
const ZONE = 'America/New_York';
const fx = { patient: '', second: '', third: '', payer: '', otherPayer: '', provider: '', location: '' };
/** A day a week ahead in the practice's time zone. */
let day = '';

type Caller = Parameters<TestPlatform['query']>[2] extends infer O ? (O extends { as?: infer A } ? A : never) : never;

const ADD = /* GraphQL */ `
  mutation ($input: AddCoverageInput!) {
    addCoverage(input: $input) {
      __typename
      ... on Coverage {
        id
        rank
        memberId
        groupNumber
        planName
        subscriberName
        relationship
        effectiveFrom
        effectiveTo
        copay {
          amount
          currency
        }
        deductible {
          amount
        }
        deductibleMet {
          amount
        }
        payer {
          id
          payerId
          name
        }
        patient {
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
const CHECK = /* GraphQL */ `
  mutation ($input: CheckEligibilityInput!) {
    checkEligibility(input: $input) {
      __typename
      ... on EligibilityCheck {
        id
        dateOfService
        outcome
        answer: message
        adapter
        checkedBy
        checkedAt
        copay {
          amount
          currency
        }
        remainingDeductible {
          amount
        }
        coverage {
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
const BOOK = /* GraphQL */ `
  mutation ($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      __typename
      ... on Appointment {
        id
        eligibility {
          id
          outcome
          copay {
            amount
          }
          remainingDeductible {
            amount
          }
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
  outcome?: string;
  copay?: { amount: string; currency?: string } | null;
  remainingDeductible?: { amount: string } | null;
  code?: string;
  field?: string | null;
  message?: string;
  [key: string]: unknown;
}

const mutate = (query: string, variables: Record<string, unknown>, as: Caller = FRONT_DESK) =>
  answerOn<Outcome>(platform, query, variables, { as });

async function count(table: 'coverage' | 'eligibility_check'): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`pms.${table}`)}`.execute(platform.owner.db);
  return rows[0]?.n ?? 0;
}

async function auditCount(action: string, outcome: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from audit.event where chain = 'pms' and action = ${action} and outcome = ${outcome}`.execute(
    platform.owner.db,
  );
  return rows[0]?.n ?? 0;
}

const coverageInput = (extra: Record<string, unknown> = {}) => ({
  patientId: fx.patient,
  payerId: fx.payer,
  rank: 'PRIMARY',
  memberId: 'XJH-0012345',
  groupNumber: 'G-100',
  planName: 'Gold PPO',
  effectiveFrom: '2026-01-01',
  copay: '25.00',
  deductible: '1500.00',
  deductibleMet: '400.00',
  ...extra,
});

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 12, seed: 7 });
  const db = platform.owner.db;
  // Patients of the test's own, without the seed's coverages, so periods never clash with them.
  const { rows: patients } = await sql<{ id: string }>`
    insert into pms.patient (mrn, given_names, family_name, birth_date, sex)
    values ('E2ECOV001', '{Ada}', 'Coverage', '1980-02-03', 'female'),
           ('E2ECOV002', '{Ben}', 'Coverage', '1975-06-07', 'male'),
           ('E2ECOV003', '{Cy}', 'Coverage', '2001-09-10', 'other')
    returning id`.execute(db);
  [fx.patient, fx.second, fx.third] = patients.map((p) => p.id) as [string, string, string];
  const { rows: payers } = await sql<{ id: string }>`select id from pms.payer order by name limit 2`.execute(db);
  fx.payer = payers[0]!.id;
  fx.otherPayer = payers[1]!.id;
  const { rows: providers } = await sql<{ id: string }>`select id from pms.provider order by id limit 1`.execute(db);
  fx.provider = providers[0]!.id;
  const { rows: locations } = await sql<{
    id: string;
  }>`insert into pms.location (name) values ('E2E Coverage Clinic') returning id`.execute(db);
  fx.location = locations[0]!.id;
  await openEveryDay(db, fx.provider, fx.location);
  day = await aWeekAhead(db, ZONE);
});

afterAll(async () => {
  await platform?.stop();
});

describe('payers and coverages', () => {
  test('lists the seeded payers by name', async () => {
    const res = await platform.query<{ payers: Array<{ payerId: string; name: string }> }>(
      '{ payers { id payerId name } }',
      {},
      { as: FRONT_DESK },
    );
    expect(res.errors).toBeUndefined();
    const names = res.data!.payers.map((p) => p.name);
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names).toEqual([...names].sort());
    expect(res.data!.payers.every((p) => /^[A-Za-z0-9]{5}$/.test(p.payerId))).toBe(true);
  });

  test('the seed gives most patients a primary coverage', async () => {
    const { rows } = await sql<{ covered: number; patients: number }>`
      select (select count(distinct patient_id)::int from pms.coverage where rank = 'primary' and created_by = 'seed') as covered,
             (select count(*)::int from pms.patient where mrn not like 'E2E%') as patients`.execute(platform.owner.db);
    expect(rows[0]!.covered).toBeGreaterThan(0);
    expect(rows[0]!.covered).toBeLessThanOrEqual(rows[0]!.patients);
  });

  test('the front desk adds a coverage, shown on the patient, with its audit record in the same change', async () => {
    const added = await mutate(ADD, { input: coverageInput({ subscriberName: 'Ada Coverage Sr', relationship: 'CHILD' }) });
    expect(added).toMatchObject({
      __typename: 'Coverage',
      rank: 'PRIMARY',
      memberId: 'XJH-0012345',
      groupNumber: 'G-100',
      planName: 'Gold PPO',
      subscriberName: 'Ada Coverage Sr',
      relationship: 'CHILD',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      copay: { amount: '25.00', currency: 'USD' },
      deductible: { amount: '1500.00' },
      deductibleMet: { amount: '400.00' },
      payer: { id: fx.payer },
      patient: { id: fx.patient },
    });
    const { rows } = await sql<{ copay_cents: number; deductible_cents: number; deductible_met_cents: number }>`
      select copay_cents, deductible_cents, deductible_met_cents from pms.coverage where id = ${added.id!}`.execute(platform.owner.db);
    expect(rows).toEqual([{ copay_cents: 2500, deductible_cents: 150_000, deductible_met_cents: 40_000 }]);
    const { rows: audit } = await sql<{ outcome: string; after_hash: string | null; patient_id: string }>`
      select outcome, after_hash, patient_id from audit.event where chain = 'pms' and action = 'coverage.add' and entity_id = ${added.id!}`.execute(
      platform.owner.db,
    );
    expect(audit).toEqual([{ outcome: 'success', after_hash: expect.any(String), patient_id: fx.patient }]);
    const read = await platform.query<{ patient: { coverages: Array<{ id: string; payer: { name: string } }> } }>(
      'query ($id: ID!) { patient(id: $id) { coverages { id payer { name } } } }',
      { id: fx.patient },
      { as: BILLER },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.patient.coverages.map((c) => c.id)).toEqual([added.id]);
  });

  test('a secondary coverage may run alongside the primary; a second primary in the same period is a CONFLICT', async () => {
    const secondary = await mutate(ADD, {
      input: coverageInput({ patientId: fx.second, rank: 'SECONDARY', payerId: fx.otherPayer, memberId: 'SEC-1' }),
    });
    expect(secondary.__typename).toBe('Coverage');
    const first = await mutate(ADD, {
      input: coverageInput({ patientId: fx.second, effectiveFrom: '2026-01-01', effectiveTo: '2026-06-30' }),
    });
    expect(first.__typename).toBe('Coverage');
    const next = await mutate(ADD, { input: coverageInput({ patientId: fx.second, effectiveFrom: '2026-07-01', memberId: 'NEW-2' }) });
    expect(next.__typename).toBe('Coverage');
    const before = await count('coverage');
    expect(
      await mutate(ADD, { input: coverageInput({ patientId: fx.second, effectiveFrom: '2026-06-30', effectiveTo: '2026-07-01' }) }),
    ).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.effectiveFrom',
    });
    expect(await count('coverage')).toBe(before);
  });

  test.each([
    ['a malformed patient id', { patientId: 'nope' }, 'ValidationError', 'input.patientId'],
    ['an unknown patient', { patientId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.patientId'],
    ['a malformed payer id', { payerId: 'NWH01' }, 'ValidationError', 'input.payerId'],
    ['an unknown payer', { payerId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.payerId'],
    ['a member id with a space', { memberId: 'AB 123' }, 'ValidationError', 'input.memberId'],
    ['a member id of 2 characters', { memberId: 'AB' }, 'ValidationError', 'input.memberId'],
    ['a member id of 31 characters', { memberId: 'A'.repeat(31) }, 'ValidationError', 'input.memberId'],
    ['an end before the start', { effectiveFrom: '2026-05-01', effectiveTo: '2026-04-30' }, 'ValidationError', 'input.effectiveTo'],
    ['a negative copay', { copay: '-5.00' }, 'ValidationError', 'input.copay'],
    ['a malformed deductible', { deductible: '1,500' }, 'ValidationError', 'input.deductible'],
    ['a negative deductible met', { deductibleMet: '-0.01' }, 'ValidationError', 'input.deductibleMet'],
    ['an amount with three decimals', { copay: '25.005' }, 'ValidationError', 'input.copay'],
  ] as const)('refuses %s, naming the field and writing nothing', async (_name, change, typename, field) => {
    const before = await count('coverage');
    const audits = await auditCount('coverage.add', 'success');
    expect(await mutate(ADD, { input: coverageInput({ patientId: fx.third, ...change }) })).toMatchObject({ __typename: typename, field });
    expect(await count('coverage')).toBe(before);
    expect(await auditCount('coverage.add', 'success')).toBe(audits);
  });

  test.each([['clinician'], ['nurse'], ['biller'], ['compliance']] as const)(
    'a %s may not add a coverage (refusal audited, nothing written)',
    async (role) => {
      const before = await count('coverage');
      const denied = await auditCount('coverage.add', 'denied');
      expect(await mutate(ADD, { input: coverageInput({ patientId: fx.third }) }, { role } as Caller)).toMatchObject({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
      });
      expect(await count('coverage')).toBe(before);
      expect(await auditCount('coverage.add', 'denied')).toBe(denied + 1);
    },
  );

  test('a clinician reading a patient gets FORBIDDEN for the coverages', async () => {
    const res = await platform.query<{ patient: { mrn: string; coverages: unknown } }>(
      'query ($id: ID!) { patient(id: $id) { mrn coverages { id } } }',
      { id: fx.patient },
    );
    expect(res.data?.patient).toEqual({ mrn: 'E2ECOV001', coverages: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.['code']])).toEqual([[['patient', 'coverages'], 'FORBIDDEN']]);
  });
});

describe('eligibility', () => {
  let coverageId = '';

  beforeAll(async () => {
    const { rows } = await sql<{ id: string }>`select id from pms.coverage where patient_id = ${fx.patient} and rank = 'primary'`.execute(
      platform.owner.db,
    );
    coverageId = rows[0]!.id;
  });

  test('is active inside the period, with the copay and the deductible left, stored and audited with the answer', async () => {
    const before = await count('eligibility_check');
    const check = await mutate(CHECK, { input: { coverageId, dateOfService: '2026-03-10' } });
    expect(check).toMatchObject({
      __typename: 'EligibilityCheck',
      dateOfService: '2026-03-10',
      outcome: 'ACTIVE',
      adapter: 'built-in',
      copay: { amount: '25.00', currency: 'USD' },
      remainingDeductible: { amount: '1100.00' },
      coverage: { id: coverageId },
    });
    expect(await count('eligibility_check')).toBe(before + 1);
    const { rows } = await sql<{
      outcome: string;
      checked_by: string;
      raw_response: Record<string, unknown>;
      copay_cents: number;
      remaining_deductible_cents: number;
    }>`
      select outcome, checked_by, raw_response, copay_cents, remaining_deductible_cents from pms.eligibility_check where id = ${check.id!}`.execute(
      platform.owner.db,
    );
    expect(rows[0]).toMatchObject({
      outcome: 'active',
      copay_cents: 2500,
      remaining_deductible_cents: 110_000,
      checked_by: check['checkedBy'],
    });
    // The stored answer identifies no one: no member id, no name, no date.
    expect(JSON.stringify(rows[0]!.raw_response)).not.toMatch(/XJH-0012345|Ada|Coverage|2026-/);
    const { rows: audit } = await sql<{ outcome: string; patient_id: string; after_hash: string | null }>`
      select outcome, patient_id, after_hash from audit.event where chain = 'pms' and action = 'eligibility.check' and entity_id = ${check.id!}`.execute(
      platform.owner.db,
    );
    expect(audit).toEqual([{ outcome: 'success', patient_id: fx.patient, after_hash: expect.any(String) }]);
  });

  test('is inactive outside the effective period, with no amounts, and stored too', async () => {
    const before = await count('eligibility_check');
    expect(await mutate(CHECK, { input: { coverageId, dateOfService: '2025-12-31' } })).toMatchObject({
      __typename: 'EligibilityCheck',
      outcome: 'INACTIVE',
      copay: null,
      remainingDeductible: null,
      answer: 'The date of service is before the coverage starts',
    });
    const ended = await mutate(ADD, {
      input: coverageInput({ patientId: fx.third, effectiveFrom: '2025-01-01', effectiveTo: '2025-12-31', memberId: 'OLD-9' }),
    });
    expect(await mutate(CHECK, { input: { coverageId: ended.id, dateOfService: '2026-01-01' } }, BILLER)).toMatchObject({
      outcome: 'INACTIVE',
    });
    expect(await count('eligibility_check')).toBe(before + 2);
  });

  test('never reports a negative deductible left when more than the deductible has been met', async () => {
    const met = await mutate(ADD, {
      input: coverageInput({ patientId: fx.third, rank: 'SECONDARY', memberId: 'MET-1', deductible: '500.00', deductibleMet: '750.00' }),
    });
    expect(await mutate(CHECK, { input: { coverageId: met.id, dateOfService: '2026-05-05' } })).toMatchObject({
      outcome: 'ACTIVE',
      remainingDeductible: { amount: '0.00' },
    });
  });

  test("lists a coverage's checks, newest first", async () => {
    const res = await platform.query<{
      patient: { coverages: Array<{ id: string; eligibilityChecks: Array<{ dateOfService: string; checkedAt: string }> }> };
    }>(
      'query ($id: ID!) { patient(id: $id) { coverages { id eligibilityChecks { dateOfService checkedAt } } } }',
      { id: fx.patient },
      { as: FRONT_DESK },
    );
    expect(res.errors).toBeUndefined();
    const checks = res.data!.patient.coverages.find((c) => c.id === coverageId)!.eligibilityChecks;
    expect(checks.map((c) => c.dateOfService)).toEqual(['2025-12-31', '2026-03-10']);
  });

  test.each([
    ['a malformed coverage id', { coverageId: 'x' }, 'ValidationError', 'input.coverageId'],
    ['an unknown coverage', { coverageId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.coverageId'],
  ] as const)('refuses %s, naming the field and writing nothing', async (_name, input, typename, field) => {
    const before = await count('eligibility_check');
    expect(await mutate(CHECK, { input: { dateOfService: '2026-03-10', ...input } })).toMatchObject({ __typename: typename, field });
    expect(await count('eligibility_check')).toBe(before);
  });

  test('refuses an impossible date of service before any subgraph is asked', async () => {
    const before = await count('eligibility_check');
    const res = await platform.query(CHECK, { input: { coverageId, dateOfService: '2026-02-30' } }, { as: FRONT_DESK });
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await count('eligibility_check')).toBe(before);
  });

  test.each([['clinician'], ['nurse'], ['compliance'], ['admin']] as const)(
    'a %s may not check eligibility (refusal audited, nothing written)',
    async (role) => {
      const before = await count('eligibility_check');
      const denied = await auditCount('eligibility.check', 'denied');
      expect(await mutate(CHECK, { input: { coverageId, dateOfService: '2026-03-10' } }, { role } as Caller)).toMatchObject({
        __typename: 'ForbiddenError',
      });
      expect(await count('eligibility_check')).toBe(before);
      expect(await auditCount('eligibility.check', 'denied')).toBe(denied + 1);
    },
  );
});

describe("an appointment's eligibility", () => {
  let slot = 0;
  async function bookOn(patientId: string): Promise<Outcome> {
    const minutes = 8 * 60 + 30 * slot++;
    const hh = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const { rows } = await sql<{ at: Date }>`select ((${day}::date + ${hh}::time)::timestamp at time zone ${ZONE}) as at`.execute(
      platform.owner.db,
    );
    const start = new Date(rows[0]!.at).toISOString();
    return mutate(BOOK, { input: { patientId, providerId: fx.provider, locationId: fx.location, start, durationMinutes: 30 } });
  }

  test('is null until the front desk checks the day, without reading ever running a check', async () => {
    const before = await count('eligibility_check');
    const booked = await bookOn(fx.patient);
    expect(booked).toMatchObject({ __typename: 'Appointment', eligibility: null });
    expect(await count('eligibility_check')).toBe(before);
  });

  test("shows the latest check of the primary coverage for the appointment's day, in bookAppointment's result too", async () => {
    const { rows } = await sql<{ id: string }>`select id from pms.coverage where patient_id = ${fx.patient} and rank = 'primary'`.execute(
      platform.owner.db,
    );
    const first = await bookOn(fx.patient);
    expect(first.eligibility).toBeNull();
    const check = await mutate(CHECK, { input: { coverageId: rows[0]!.id, dateOfService: day } });
    const read = await platform.query<{ appointment: { eligibility: Outcome | null } }>(
      'query ($id: ID!) { appointment(id: $id) { eligibility { id outcome copay { amount } } } }',
      { id: first.id },
      { as: FRONT_DESK },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.appointment.eligibility).toEqual({ id: check.id, outcome: 'ACTIVE', copay: { amount: '25.00' } });
    const second = await bookOn(fx.patient);
    expect(second.eligibility).toMatchObject({
      id: check.id,
      outcome: 'ACTIVE',
      copay: { amount: '25.00' },
      remainingDeductible: { amount: '1100.00' },
    });
  });

  test("ignores a secondary coverage's checks", async () => {
    const { rows } = await sql<{ id: string }>`select id from pms.coverage where patient_id = ${fx.second} and rank = 'secondary'`.execute(
      platform.owner.db,
    );
    expect((await mutate(CHECK, { input: { coverageId: rows[0]!.id, dateOfService: day } })).__typename).toBe('EligibilityCheck');
    expect((await bookOn(fx.second)).eligibility).toBeNull();
  });
});

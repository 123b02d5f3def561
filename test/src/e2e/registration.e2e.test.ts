import { contentHash, verifyAuditChains } from '@chartbridge/db';
import type { Purpose, Role } from '@chartbridge/kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { mutateOn } from '../support/mutations.js';
import { taggedRequests } from '../support/tagged-requests.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Registration and demographics through the gateway: the front desk registers a patient with an MRN
// the practice assigns (never one already taken), the SSN sealed at rest; patients with the same
// name and birth date hold a registration back until the desk confirms they are other people; a
// change of demographics keeps the row's hashes before and after in the audit trail. Every bad input
// names its field and writes nothing; every other role is refused, and the refusal is audited.

let platform: TestPlatform;
const FRONT_DESK = { role: 'front_desk' as const };

type Caller = { role: Role; purpose?: Purpose; patient?: string };

const PATIENT_FIELDS = 'id mrn name { given family } birthDate sex phone email ssn address { line city state postalCode country }';
const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterPatientInput!) {
    registerPatient(input: $input) {
      __typename
      ... on Patient { ${PATIENT_FIELDS} }
      ... on PossibleDuplicatePatientError { possibleDuplicates { id mrn name { given family } birthDate } }
      ... on Error { message code field }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdatePatientDemographicsInput!) {
    updatePatientDemographics(input: $input) {
      __typename
      ... on Patient { ${PATIENT_FIELDS} }
      ... on Error { message code field }
    }
  }
`;

interface PatientView {
  id: string;
  mrn: string;
  name: { given: string[]; family: string };
  birthDate: string;
  sex: string;
  phone: string | null;
  email: string | null;
  ssn: string | null;
  address: { line: string[]; city: string | null; state: string | null; postalCode: string | null; country: string | null } | null;
}
interface Outcome extends Partial<PatientView> {
  __typename: string;
  message?: string;
  code?: string;
  field?: string | null;
  possibleDuplicates?: Array<{ id: string; mrn: string; name: { given: string[]; family: string }; birthDate: string }>;
}

const mutate = (query: string, input: Record<string, unknown>, as: Caller = FRONT_DESK, requestId?: string) =>
  mutateOn<Outcome>(platform, query, input, { as, ...(requestId ? { headers: { 'x-request-id': requestId } } : {}) });

/** A fingerprint of the whole patient table and of the PMS audit chain: equal means nothing was written. */
async function state(): Promise<{ patients: string; audits: number }> {
  const { rows } = await sql<{ patients: string; audits: number }>`
    select (select md5(coalesce(string_agg(row_to_json(p)::text, '|' order by p.id), '')) from pms.patient p) as patients,
           (select count(*)::int from audit.event where chain = 'pms' and action like 'patient.%' and action <> 'patient.access') as audits`.execute(
    platform.owner.db,
  );
  return rows[0]!;
}

async function patientRow(id: string): Promise<Record<string, unknown>> {
  const { rows } = await sql<Record<string, unknown>>`select * from pms.patient where id = ${id}`.execute(platform.owner.db);
  return rows[0]!;
}

/** The PMS's records of a tagged request's registrations and changes of a patient. */
const auditOf = (requestId: string) =>
  auditRecords(
    platform,
    { tag: requestId },
    { chain: 'pms', actions: { only: ['patient.register', 'patient.update', 'patient.ssn.write'] } },
  );

let serial = 0;
/** A registration of someone no seeded patient can share a name with. */
const person = (extra: Record<string, unknown> = {}) => {
  serial += 1;
  return {
    name: {
      given: ['Ada', 'Mae'],
      family: `Registrand${'abcdefghijklmnopqrstuvwxyz'[serial % 26]}${'abcdefghijklmnopqrstuvwxyz'[Math.floor(serial / 26) % 26]}`,
    },
    birthDate: '1985-04-12',
    sex: 'FEMALE',
    ...extra,
  };
};

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 12, seed: 23 });
});

afterAll(async () => {
  await platform?.stop();
});

describe('registerPatient', () => {
  const full = () =>
    person({
      name: { given: ['  Ada ', 'Mae'], family: " O'Registrand " },
      phone: '(555) 201-3344',
      email: 'Ada.Registrand@Example.ORG',
      ssn: '219099999',
      address: { line: ['12 Main St', '', 'Apt 4'], city: 'Albany', state: 'ny', postalCode: '12207' },
    });
  let registered: PatientView;

  test('the front desk registers a patient with a practice MRN, its contact details normalised', async () => {
    const { rows: seeded } = await sql<{ mrn: string }>`select mrn from pms.patient`.execute(platform.owner.db);
    const result = await mutate(REGISTER, full(), FRONT_DESK, 'register-full');
    expect(result).toMatchObject({
      __typename: 'Patient',
      name: { given: ['Ada', 'Mae'], family: "O'Registrand" },
      birthDate: '1985-04-12',
      sex: 'FEMALE',
      phone: '555-201-3344',
      email: 'Ada.Registrand@example.org',
      ssn: '219-09-9999',
      address: { line: ['12 Main St', 'Apt 4'], city: 'Albany', state: 'NY', postalCode: '12207', country: 'US' },
    });
    registered = result as PatientView;
    expect(registered.mrn).toMatch(/^CB\d{8}$/);
    expect(seeded.map((r) => r.mrn)).not.toContain(registered.mrn);
  });

  test('stores the SSN sealed under the key named beside it, never in clear', async () => {
    const row = await patientRow(registered.id);
    expect(row['ssn_key_id']).toBe('test');
    expect(row['ssn_ciphertext']).toMatch(/^v1\.test\.[\w-]{16}\.[\w-]{22}\.[\w-]{15}$/);
    const { rows } = await sql<{ row: string }>`select row_to_json(p)::text as row from pms.patient p where id = ${registered.id}`.execute(
      platform.owner.db,
    );
    expect(rows[0]!.row).not.toMatch(/219-?09-?9999|9999"/);
  });

  test.each([
    ['biller', 'PAYMENT', '219-09-9999'],
    ['front_desk', 'OPERATIONS', '219-09-9999'],
    ['front_desk', 'PAYMENT', '***-**-9999'],
    ['clinician', 'TREATMENT', '***-**-9999'],
  ] as const)('a %s acting for %s reads the SSN as %s', async (role, purpose, shown) => {
    const res = await platform.query<{ patient: { ssn: string | null } }>(
      'query ($id: ID!) { patient(id: $id) { ssn } }',
      { id: registered.id },
      { as: { role, purpose } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient.ssn).toBe(shown);
  });

  test("writes one audit record with the new row's hash, the classes written, and no PHI in clear", async () => {
    const events = await auditOf('register-full');
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toMatchObject({
      action: 'patient.register',
      outcome: 'success',
      role: 'front_desk',
      purpose: 'OPERATIONS',
      patient_id: registered.id,
      entity_type: 'patient',
      entity_id: registered.id,
      before_hash: null,
      data_classes: ['contact', 'demographic', 'sensitive_identifier'],
    });
    const { rows } = await sql<Record<string, unknown>>`select * from pms.patient where id = ${registered.id}`.execute(platform.owner.db);
    expect(event.after_hash).toBe(contentHash(rows[0]));
    const { rows: trail } = await sql<{ row: string }>`select row_to_json(e)::text as row from audit.event e`.execute(platform.owner.db);
    const text = trail.map((r) => r.row).join('\n');
    for (const phi of ["O'Registrand", registered.mrn, '1985-04-12', '219-09-9999', '219099999', '555-201-3344', 'example.org'])
      expect(text).not.toContain(phi);
  });

  test('a front desk acting for payment registers without an SSN', async () => {
    const result = await mutate(REGISTER, person({ ssn: '   ' }), { role: 'front_desk', purpose: 'PAYMENT' });
    expect(result).toMatchObject({ __typename: 'Patient', ssn: null, phone: null, email: null, address: null });
    expect(await patientRow(result.id!)).toMatchObject({ ssn_ciphertext: null, ssn_key_id: null, address_lines: [] });
  });

  test('draws a new MRN for every patient and skips numbers taken around the sequence', async () => {
    const first = await mutate(REGISTER, person());
    const next = Number(first.mrn!.slice(2)) + 1;
    const taken = [next, next + 1].map((n) => `CB${String(n).padStart(8, '0')}`);
    await sql`
      insert into pms.patient (mrn, given_names, family_name, birth_date, sex)
      values (${taken[0]}, '{Imported}', 'Around', '1970-01-01', 'male'), (${taken[1]}, '{Imported}', 'Around', '1971-01-01', 'male')`.execute(
      platform.owner.db,
    );
    const second = await mutate(REGISTER, person());
    expect(second.__typename).toBe('Patient');
    expect(second.mrn).toMatch(/^CB\d{8}$/);
    expect(Number(second.mrn!.slice(2))).toBeGreaterThan(next + 1);
    const { rows } = await sql<{
      n: number;
      distinct: number;
    }>`select count(*)::int as n, count(distinct mrn)::int as distinct from pms.patient`.execute(platform.owner.db);
    expect(rows[0]!.distinct).toBe(rows[0]!.n);
  });

  test('registrations at the same moment each get their own MRN', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => mutate(REGISTER, person())));
    expect(results.map((r) => r.__typename)).toEqual(['Patient', 'Patient', 'Patient', 'Patient']);
    expect(new Set(results.map((r) => r.mrn)).size).toBe(4);
  });
});

describe('possible duplicates', () => {
  const twin = { name: { given: ['Grace'], family: 'Duplicand' }, birthDate: '1990-07-01', sex: 'FEMALE' };
  let original: Outcome;

  beforeAll(async () => {
    original = await mutate(REGISTER, twin);
    expect(original.__typename).toBe('Patient');
  });

  test.each([
    ['the same name and birth date', twin],
    ['the name in other case, with a middle name', { ...twin, name: { given: ['GRACE', 'Ann'], family: 'duplicand' } }],
  ])('%s hold the registration back, listing the patient, and write nothing', async (_what, input) => {
    const before = await state();
    const result = await mutate(REGISTER, input);
    expect(result).toMatchObject({
      __typename: 'PossibleDuplicatePatientError',
      code: 'CONFLICT',
      field: 'input.name',
      possibleDuplicates: [
        { id: original.id, mrn: original.mrn, name: { given: ['Grace'], family: 'Duplicand' }, birthDate: '1990-07-01' },
      ],
    });
    expect(await state()).toEqual(before);
  });

  test('another birth date is no duplicate', async () => {
    expect((await mutate(REGISTER, { ...twin, birthDate: '1990-07-02' })).__typename).toBe('Patient');
  });

  test('showing the possible duplicates is audited as an access to them', async () => {
    await mutate(REGISTER, twin, FRONT_DESK, 'duplicate-shown');
    const { rows } = await sql<{ patient_id: string; action: string }>`
      select patient_id, action from audit.event where request_id in ${taggedRequests('duplicate-shown')} and chain = 'pms'`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([{ patient_id: original.id, action: 'patient.access' }]);
  });

  test('the desk registers the other person once it confirms they are not the listed patient', async () => {
    const result = await mutate(REGISTER, { ...twin, confirmedDistinctFrom: [original.id] });
    expect(result).toMatchObject({ __typename: 'Patient', name: { given: ['Grace'], family: 'Duplicand' } });
    expect(result.id).not.toBe(original.id);
    expect(result.mrn).not.toBe(original.mrn);
    // Now two are registered: confirming only the first no longer covers both.
    const again = await mutate(REGISTER, { ...twin, confirmedDistinctFrom: [original.id] });
    expect(again.__typename).toBe('PossibleDuplicatePatientError');
    expect(again.possibleDuplicates?.map((p) => p.id)).toEqual([original.id, result.id]);
  });
});

describe('a bad registration names its field and changes nothing', () => {
  test.each([
    ['no given name', { name: { given: [], family: 'Doe' } }, 'input.name.given'],
    ['a blank given name', { name: { given: ['Jo', ' '], family: 'Doe' } }, 'input.name.given'],
    ['a blank family name', { name: { given: ['Jo'], family: '  ' } }, 'input.name.family'],
    ['a family name over 100 characters', { name: { given: ['Jo'], family: 'D'.repeat(101) } }, 'input.name.family'],
    ['digits in a name', { name: { given: ['J0hn'], family: 'Doe' } }, 'input.name.given'],
    ['a birth date in the future', { birthDate: '2999-01-01' }, 'input.birthDate'],
    ['a birth date before 1900', { birthDate: '1899-12-31' }, 'input.birthDate'],
    ['a malformed SSN', { ssn: '12-345-6789' }, 'input.ssn'],
    ['an SSN SSA never assigns', { ssn: '666-12-3456' }, 'input.ssn'],
    ['a malformed e-mail address', { email: 'ada@localhost' }, 'input.email'],
    ['a malformed phone number', { phone: '555-1234' }, 'input.phone'],
    ['an unknown US state', { address: { line: ['1 Main St'], state: 'XX' } }, 'input.address.state'],
    ['a malformed ZIP code', { address: { line: ['1 Main St'], postalCode: '1220' } }, 'input.address.postalCode'],
    ['a country that is no ISO code', { address: { city: 'Paris', country: 'France' } }, 'input.address.country'],
    ['a malformed confirmed id', { confirmedDistinctFrom: ['nope'] }, 'input.confirmedDistinctFrom'],
  ])('%s', async (_what, extra, field) => {
    const before = await state();
    const result = await mutate(REGISTER, person(extra));
    expect(result).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT', field });
    expect(await state()).toEqual(before);
  });

  test.each([
    ['a sex outside the enum', { sex: 'FEMININE' }],
    ['a birth date that is no calendar date', { birthDate: '1985-02-30' }],
  ])('%s is refused before the mutation runs', async (_what, extra) => {
    const before = await state();
    const res = await platform.query(REGISTER, { input: person(extra) }, { as: FRONT_DESK });
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.['code']).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    expect(await state()).toEqual(before);
  });
});

describe('who may register', () => {
  test.each([['clinician'], ['nurse'], ['biller'], ['compliance'], ['admin']] as const)(
    'a %s is refused, the refusal audited, nothing written',
    async (role) => {
      const before = await state();
      const requestId = `register-denied-${role}`;
      expect(await mutate(REGISTER, person({ ssn: '219-09-1234' }), { role }, requestId)).toMatchObject({
        __typename: 'ForbiddenError',
        code: 'FORBIDDEN',
      });
      const events = await auditOf(requestId);
      expect(events.map((e) => [e.action, e.outcome, e.role, e.patient_id])).toEqual([['patient.register', 'denied', role, null]]);
      expect(await state()).toEqual({ patients: before.patients, audits: before.audits + 1 });
    },
  );

  test('an analyst, who holds no reference class at all, is refused at the field: FORBIDDEN, audited, nothing written', async () => {
    const before = await state();
    const res = await platform.query(
      REGISTER,
      { input: person() },
      { as: { role: 'analyst' }, headers: { 'x-request-id': 'register-denied-analyst' } },
    );
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => [e.extensions?.['code'], e.path])).toEqual([['FORBIDDEN', ['registerPatient']]]);
    const { rows } = await sql<{ action: string; outcome: string }>`
      select action, outcome from audit.event where request_id in ${taggedRequests('register-denied-analyst')} and chain = 'pms'`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([{ action: 'access.denied', outcome: 'denied' }]);
    expect(await state()).toEqual(before);
  });

  test('a patient may not register anyone, not even with their own portal token', async () => {
    const { rows } = await sql<{ id: string }>`select id from pms.patient order by id limit 1`.execute(platform.owner.db);
    const result = await mutate(REGISTER, person(), { role: 'patient', patient: rows[0]!.id }, 'register-denied-patient');
    expect(result.__typename).toBe('ForbiddenError');
    expect((await auditOf('register-denied-patient')).map((e) => e.outcome)).toEqual(['denied']);
  });

  test('a front desk acting for payment may not record an SSN', async () => {
    const before = await state();
    const result = await mutate(
      REGISTER,
      person({ ssn: '219-09-1234' }),
      { role: 'front_desk', purpose: 'PAYMENT' },
      'register-ssn-payment',
    );
    expect(result).toMatchObject({ __typename: 'ForbiddenError', field: 'input.ssn' });
    const events = await auditOf('register-ssn-payment');
    expect(events.map((e) => [e.outcome, e.data_classes])).toEqual([['denied', ['contact', 'demographic', 'sensitive_identifier']]]);
    expect((await state()).patients).toBe(before.patients);
  });
});

describe('updatePatientDemographics', () => {
  let patient: Outcome;

  beforeAll(async () => {
    patient = await mutate(REGISTER, person({ phone: '555-301-0001', email: 'before@example.org', ssn: '219-09-5555' }));
    expect(patient.__typename).toBe('Patient');
  });

  test('changes only the fields given, audited with the row before and after', async () => {
    const before = await patientRow(patient.id!);
    const result = await mutate(
      UPDATE,
      { id: patient.id, phone: '+1 (555) 301-0002', address: { line: ['9 Elm St'], city: 'Troy', state: 'NY', postalCode: '12180-1234' } },
      FRONT_DESK,
      'update-contact',
    );
    expect(result).toMatchObject({
      __typename: 'Patient',
      id: patient.id,
      mrn: patient.mrn,
      name: patient.name,
      email: 'before@example.org',
      phone: '555-301-0002',
      ssn: '219-09-5555',
      address: { line: ['9 Elm St'], city: 'Troy', state: 'NY', postalCode: '12180-1234', country: 'US' },
    });
    const after = await patientRow(patient.id!);
    const events = await auditOf('update-contact');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'patient.update',
      outcome: 'success',
      patient_id: patient.id,
      entity_type: 'patient',
      entity_id: patient.id,
      data_classes: ['contact'],
      before_hash: contentHash(before),
      after_hash: contentHash(after),
    });
    expect(events[0]!.before_hash).not.toBe(events[0]!.after_hash);
  });

  test('renames the patient, corrects the birth date and clears the e-mail address', async () => {
    const result = await mutate(UPDATE, {
      id: patient.id,
      name: { given: ['Adah'], family: 'Renamed' },
      birthDate: '1985-04-21',
      email: null,
    });
    expect(result).toMatchObject({
      __typename: 'Patient',
      name: { given: ['Adah'], family: 'Renamed' },
      birthDate: '1985-04-21',
      email: null,
      mrn: patient.mrn,
    });
  });

  test('replaces the SSN, sealed again for the row; clearing it removes the ciphertext', async () => {
    expect(await mutate(UPDATE, { id: patient.id, ssn: '219-09-6666' }, FRONT_DESK, 'update-ssn')).toMatchObject({ ssn: '219-09-6666' });
    expect((await auditOf('update-ssn'))[0]?.data_classes).toEqual(['sensitive_identifier']);
    const biller = await platform.query<{ patient: { ssn: string } }>(
      'query ($id: ID!) { patient(id: $id) { ssn } }',
      { id: patient.id },
      { as: { role: 'biller' } },
    );
    expect(biller.data?.patient.ssn).toBe('219-09-6666');
    expect(await mutate(UPDATE, { id: patient.id, ssn: null })).toMatchObject({ __typename: 'Patient', ssn: null });
    expect(await patientRow(patient.id!)).toMatchObject({ ssn_ciphertext: null, ssn_key_id: null });
  });

  test.each([
    ['a malformed id', { id: 'nope', phone: '555-301-0003' }, 'ValidationError', 'input.id'],
    ['an unknown id', { id: '00000000-0000-4000-8000-000000000000', phone: '555-301-0003' }, 'NotFoundError', 'input.id'],
    ['no field to change', {}, 'ValidationError', 'input'],
    ['a name cleared', { name: null }, 'ValidationError', 'input.name'],
    ['a sex cleared', { sex: null }, 'ValidationError', 'input.sex'],
    ['a blank family name', { name: { given: ['Ada'], family: '' } }, 'ValidationError', 'input.name.family'],
    ['a birth date in the future', { birthDate: '2999-01-01' }, 'ValidationError', 'input.birthDate'],
    ['a malformed phone number', { phone: 'call me' }, 'ValidationError', 'input.phone'],
    ['a malformed e-mail address', { email: 'nope' }, 'ValidationError', 'input.email'],
    ['a malformed SSN', { ssn: '123-45-0000' }, 'ValidationError', 'input.ssn'],
  ])('%s names its field and changes nothing', async (_what, extra, typename, field) => {
    const before = await state();
    expect(await mutate(UPDATE, { id: patient.id, ...extra })).toMatchObject({ __typename: typename, field });
    expect(await state()).toEqual(before);
  });

  test.each([['biller'], ['clinician'], ['admin']] as const)('a %s is refused, the refusal audited against the patient', async (role) => {
    const before = await state();
    const requestId = `update-denied-${role}`;
    expect(await mutate(UPDATE, { id: patient.id, phone: '555-301-0009' }, { role }, requestId)).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    const events = await auditOf(requestId);
    expect(events.map((e) => [e.action, e.outcome, e.patient_id, e.data_classes])).toEqual([
      ['patient.update', 'denied', patient.id, ['contact']],
    ]);
    expect((await state()).patients).toBe(before.patients);
  });

  test('a front desk acting for payment may not change the SSN', async () => {
    const before = await state();
    expect(await mutate(UPDATE, { id: patient.id, ssn: null }, { role: 'front_desk', purpose: 'PAYMENT' })).toMatchObject({
      __typename: 'ForbiddenError',
      field: 'input.ssn',
    });
    expect((await state()).patients).toBe(before.patients);
  });
});

test('every audit chain stays intact', async () => {
  expect(await verifyAuditChains(platform.owner.db)).toMatchObject({ ok: true });
});

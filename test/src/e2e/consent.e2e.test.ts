import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { taggedRequests } from '../support/tagged-requests.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Partners see only consented patients and only the consented classes, in both subgraphs; consent
// is recorded and revoked by the front desk or the patient, validated, transactional and audited.

let platform: TestPlatform;
const fixture = { patient: '', other: '' };
const ACME = { role: 'partner' as const, partner: 'acme-labs' };
const today = new Date().toISOString().slice(0, 10);

const RECORD = /* GraphQL */ `
  mutation ($input: RecordConsentInput!) {
    recordConsent(input: $input) {
      __typename
      ... on Consent {
        id
        partnerId
        dataClasses
        status
        validFrom
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation ($id: ID!) {
    revokeConsent(input: { id: $id }) {
      __typename
      ... on Consent {
        id
        status
        revokedAt
      }
      ... on Error {
        message
        code
        field
      }
    }
  }
`;
const READ = (id: string) => `{ patient(id: "${id}") { id name { family } phone allergies { substance } } }`;

interface RecordResult {
  recordConsent: {
    __typename: string;
    id?: string;
    status?: string;
    dataClasses?: string[];
    code?: string;
    field?: string | null;
    message?: string;
  };
}

/** The patients with a live consent for a partner today, as the database says. */
async function consentedPatients(partnerId: string): Promise<string[]> {
  const { rows } = await sql<{ patient_id: string }>`
    select patient_id from pms.consent
     where partner_id = ${partnerId} and revoked_at is null and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
     order by patient_id`.execute(platform.owner.db);
  return rows.map((r) => r.patient_id);
}

async function listedFor(partner: { role: 'partner'; partner: string }): Promise<string[]> {
  const res = await platform.query<{ patients: { edges: Array<{ node: { id: string } }> } }>(
    '{ patients(first: 100) { edges { node { id } } } }',
    {},
    { as: partner },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.patients.edges.map((e) => e.node.id).sort();
}

async function consentCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pms.consent`.execute(platform.owner.db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 30, seed: 5 });
  // The seed has these partners and consents for some patients; the fixture patient has none.
  const { rows } = await sql<{ patient_id: string }>`
    select a.patient_id from ehr.allergy a
     where not exists (select 1 from pms.consent c where c.patient_id = a.patient_id)
     group by a.patient_id order by a.patient_id limit 1`.execute(platform.owner.db);
  fixture.patient = rows[0]!.patient_id;
  const other = await platform.pmsDatabase.db
    .selectFrom('pms.patient')
    .select('id')
    .where('id', '<>', fixture.patient)
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  fixture.other = other.id;
});

afterAll(async () => {
  await platform?.stop();
});

describe('a partner without consent', () => {
  test('is refused the patient, and lists exactly the patients whose live consent names it', async () => {
    const one = await platform.query(READ(fixture.patient), {}, { as: ACME });
    expect(one.data).toEqual({ patient: null });
    expect(one.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const listed = await listedFor(ACME);
    expect(listed).not.toContain(fixture.patient);
    expect(listed).toEqual(await consentedPatients('acme-labs'));
  });
});

describe('recording a consent', () => {
  test.each([
    ['validTo before validFrom', { validFrom: today, validTo: '2020-01-01' }, 'ValidationError', 'input.validTo'],
    ['no data class', { dataClasses: [] }, 'ValidationError', 'input.dataClasses'],
    ['an unknown partner', { partnerId: 'nobody-inc' }, 'NotFoundError', 'input.partnerId'],
    ['an unknown patient', { patientId: '00000000-0000-4000-8000-000000000000' }, 'NotFoundError', 'input.patientId'],
    ['a malformed patient id', { patientId: 'x' }, 'ValidationError', 'input.patientId'],
  ])('with %s is refused with the field at fault and changes nothing', async (_case, change, typename, field) => {
    const before = await consentCount();
    const res = await platform.query<RecordResult>(
      RECORD,
      { input: { patientId: fixture.patient, partnerId: 'acme-labs', dataClasses: ['DEMOGRAPHIC'], validFrom: today, ...change } },
      { as: { role: 'front_desk' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordConsent).toMatchObject({ __typename: typename, field });
    expect(await consentCount()).toBe(before);
  });

  test.each([
    ['a clinician', { role: 'clinician' as const }],
    ['another patient', { role: 'patient' as const, patient: 'PLACEHOLDER' }],
    ['the partner itself', ACME],
  ])('by %s is FORBIDDEN, and the attempt is audited', async (_case, as) => {
    const caller = 'patient' in as && as.patient === 'PLACEHOLDER' ? { ...as, patient: fixture.other } : as;
    const res = await platform.query<RecordResult>(
      RECORD,
      { input: { patientId: fixture.patient, partnerId: 'acme-labs', dataClasses: ['CLINICAL'], validFrom: today } },
      { as: caller, headers: { 'x-request-id': `consent-denied-${caller.role}` } },
    );
    expect(res.data?.recordConsent).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const { rows } = await sql<{
      outcome: string;
    }>`select outcome from audit.event where request_id in ${taggedRequests(`consent-denied-${caller.role}`)} and chain = 'pms' and action = 'consent.record'`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([{ outcome: 'denied' }]);
  });

  test('by the front desk opens exactly the consented classes to the partner, in both subgraphs', async () => {
    const res = await platform.query<RecordResult>(
      RECORD,
      { input: { patientId: fixture.patient, partnerId: 'acme-labs', dataClasses: ['DEMOGRAPHIC', 'CLINICAL'], validFrom: today } },
      { as: { role: 'front_desk' }, headers: { 'x-request-id': 'consent-record' } },
    );
    expect(res.data?.recordConsent).toMatchObject({ __typename: 'Consent', status: 'ACTIVE', dataClasses: ['CLINICAL', 'DEMOGRAPHIC'] });

    const read = await platform.query<{
      patient: { id: string; name: { family: string } | null; phone: string | null; allergies: unknown[] | null };
    }>(READ(fixture.patient), {}, { as: ACME });
    expect(read.data?.patient.name?.family).toBeTruthy();
    expect(read.data?.patient.allergies?.length).toBeGreaterThan(0); // clinical, from the EHR
    expect(read.data?.patient.phone).toBeNull(); // contact was not consented
    expect(read.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code']])).toEqual([['patient.phone', 'FORBIDDEN']]);

    const listed = await listedFor(ACME);
    expect(listed).toContain(fixture.patient);
    expect(listed).toEqual(await consentedPatients('acme-labs'));

    const { rows } = await sql<{
      action: string;
      entity_id: string;
      before_hash: string | null;
      after_hash: string | null;
      patient_id: string;
    }>`
      select action, entity_id, before_hash, after_hash, patient_id from audit.event where request_id in ${taggedRequests('consent-record')} and chain = 'pms' and action like 'consent.%'`.execute(
      platform.owner.db,
    );
    expect(rows).toEqual([
      {
        action: 'consent.record',
        entity_id: res.data?.recordConsent.id,
        before_hash: null,
        after_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        patient_id: fixture.patient,
      },
    ]);
  });

  test('limits the partner further by its purpose of use', async () => {
    // PAYMENT grants a partner no clinical data, whatever the consent says.
    const res = await platform.query<{ patient: { allergies: unknown } }>(
      `{ patient(id: "${fixture.patient}") { allergies { substance } } }`,
      {},
      { as: { ...ACME, purpose: 'PAYMENT' } },
    );
    expect(res.data?.patient.allergies ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  test('for one partner opens nothing to another', async () => {
    const res = await platform.query(READ(fixture.patient), {}, { as: { role: 'partner', partner: 'bluebird-health' } });
    expect(res.data).toEqual({ patient: null });
  });
});

describe('revoking a consent', () => {
  test("by the patient closes the partner's access at once; a second revocation is a CONFLICT", async () => {
    const { rows } = await sql<{
      id: string;
    }>`select id from pms.consent where patient_id = ${fixture.patient} and revoked_at is null`.execute(platform.owner.db);
    const id = rows[0]!.id;
    const me = { role: 'patient' as const, patient: fixture.patient };
    const revoked = await platform.query<{ revokeConsent: { __typename: string; status?: string } }>(REVOKE, { id }, { as: me });
    expect(revoked.data?.revokeConsent).toMatchObject({ __typename: 'Consent', status: 'REVOKED' });
    const after = await platform.query(READ(fixture.patient), {}, { as: ACME });
    expect(after.data).toEqual({ patient: null });
    const again = await platform.query<{ revokeConsent: { __typename: string; field?: string } }>(REVOKE, { id }, { as: me });
    expect(again.data?.revokeConsent).toMatchObject({ __typename: 'ConflictError', field: 'input.id' });
  });

  test('the patient sees the history of their consents', async () => {
    const res = await platform.query<{ patient: { consents: Array<{ partnerId: string; status: string }> } }>(
      `{ patient(id: "${fixture.patient}") { consents { partnerId status } } }`,
      {},
      { as: { role: 'patient', patient: fixture.patient } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.patient.consents).toEqual([{ partnerId: 'acme-labs', status: 'REVOKED' }]);
  });
});

import type { AuditEventRow } from '@chartbridge/db';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { postGraphQL, startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/test-platform.js';

// The gateway's record of each request tells the truth: whose request id it is (always the
// gateway's own; the caller's is kept apart as its correlation id) and how the request ended, error
// results of mutations included, whatever the client selected of them.

let platform: TestPlatform;
const fixture = { patient: '' };
const today = new Date().toISOString().slice(0, 10);
const FRONT_DESK = { role: 'front_desk' as const };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 12, seed: 31 });
  const patient = await platform.pmsDatabase.db.selectFrom('pms.patient').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  fixture.patient = patient.id;
});

afterAll(async () => {
  await platform?.stop();
});

const eventsOf = (requestId: string) => auditRecords(platform, { requestId });

/** The gateway's record of the request that got `res`, found by the request id the gateway echoed. */
async function gatewayRecordOf(res: GraphQLResponse<unknown>): Promise<AuditEventRow> {
  const requestId = res.headers.get('x-request-id');
  expect(requestId).toMatch(UUID);
  const records = (await eventsOf(requestId!)).filter((e) => e.chain === 'gateway');
  expect(records).toHaveLength(1);
  return records[0]!;
}

const PATIENT_QUERY = (id: string) => `{ patient(id: "${id}") { name { family } allergies { substance } } }`;

describe('request ids', () => {
  test("two requests sending the same X-Request-Id get two ids of the gateway's; the caller's is their correlation id", async () => {
    const sent = { 'x-request-id': 'client-reused-1' };
    const first = await platform.query(PATIENT_QUERY(fixture.patient), {}, { headers: sent });
    const second = await platform.query(PATIENT_QUERY(fixture.patient), {}, { headers: sent });
    for (const res of [first, second]) {
      expect(res.errors).toBeUndefined();
      expect(res.headers.get('x-request-id')).toMatch(UUID);
      expect(res.headers.get('x-correlation-id')).toBe('client-reused-1');
    }
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    // Nothing in the trail carries the caller's id as a request id.
    expect(await eventsOf('client-reused-1')).toEqual([]);
    for (const res of [first, second]) {
      const requestId = res.headers.get('x-request-id')!;
      const events = await eventsOf(requestId);
      // One id threads the gateway's record and the subgraphs' records of the same request.
      expect(events.map((e) => [e.chain, e.action])).toEqual([
        ['ehr', 'patient.access'],
        ['gateway', 'graphql.request'],
        ['pms', 'patient.access'],
      ]);
      expect(events.map((e) => e.correlation_id)).toEqual([null, 'client-reused-1', null]);
    }
  });

  test('X-Correlation-Id comes before X-Request-Id; a request that sends neither has no correlation id', async () => {
    const both = await platform.query('{ __typename }', {}, { headers: { 'x-correlation-id': 'corr-7', 'x-request-id': 'req-7' } });
    expect(both.headers.get('x-correlation-id')).toBe('corr-7');
    expect((await gatewayRecordOf(both)).correlation_id).toBe('corr-7');
    const none = await platform.query('{ __typename }');
    expect(none.headers.get('x-correlation-id')).toBeNull();
    expect((await gatewayRecordOf(none)).correlation_id).toBeNull();
  });

  test.each([
    ['too long', 'x'.repeat(129)],
    ['with a space', 'two words'],
    ['with a comma', 'a,b'],
  ])('a correlation id %s is neither echoed nor recorded', async (_case, value) => {
    const res = await platform.query('{ __typename }', {}, { headers: { 'x-request-id': value } });
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('x-correlation-id')).toBeNull();
    expect((await gatewayRecordOf(res)).correlation_id).toBeNull();
  });

  test("a refused authentication is recorded under the gateway's id, with the caller's as its correlation id", async () => {
    const res = await postGraphQL(platform.gatewayUrl, '{ __typename }', {}, { 'x-request-id': 'anonymous-try' });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-correlation-id')).toBe('anonymous-try');
    expect(await gatewayRecordOf(res)).toMatchObject({
      action: 'auth.refused.missing_token',
      outcome: 'unauthenticated',
      correlation_id: 'anonymous-try',
    });
  });
});

const RECORD_CONSENT = (selection: string) => /* GraphQL */ `
  mutation ($input: RecordConsentInput!) { recordConsent(input: $input) { ${selection} } }
`;
const consentInput = (change: Record<string, unknown> = {}) => ({
  input: { patientId: fixture.patient, partnerId: 'acme-labs', dataClasses: ['DEMOGRAPHIC'], validFrom: today, ...change },
});

describe('outcomes of mutations answered with error results', () => {
  // The client may select the error member's fields, only __typename, or nothing of it at all: the
  // record says the same.
  const SELECTIONS: Array<[string, string]> = [
    ['the Error fields', '__typename ... on Consent { id } ... on Error { code message field }'],
    ['only __typename', '__typename'],
    ['nothing of the error members', '... on Consent { id }'],
  ];

  test.each(SELECTIONS)('a refusal (ForbiddenError as data) is recorded as denied, the client selecting %s', async (_case, selection) => {
    const res = await platform.query<{ recordConsent: Record<string, unknown> }>(RECORD_CONSENT(selection), consentInput(), {
      as: { role: 'clinician' },
    });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.recordConsent).not.toHaveProperty('id');
    expect(await gatewayRecordOf(res)).toMatchObject({ action: 'graphql.request', outcome: 'denied', role: 'clinician' });
    // The subgraph's own record of the attempt agrees.
    const pms = (await eventsOf(res.headers.get('x-request-id')!)).filter((e) => e.chain === 'pms' && e.action === 'consent.record');
    expect(pms.map((e) => e.outcome)).toEqual(['denied']);
  });

  test.each(SELECTIONS)('an invalid input (ValidationError) is recorded as invalid, the client selecting %s', async (_case, selection) => {
    const res = await platform.query(RECORD_CONSENT(selection), consentInput({ validTo: '2020-01-01' }), { as: { role: 'front_desk' } });
    expect(res.errors).toBeUndefined();
    expect((await gatewayRecordOf(res)).outcome).toBe('invalid');
  });

  test('an unknown partner (NotFoundError) is recorded as not_found', async () => {
    const res = await platform.query(RECORD_CONSENT('__typename'), consentInput({ partnerId: 'nobody-inc' }), { as: FRONT_DESK });
    expect(res.data).toEqual({ recordConsent: { __typename: 'NotFoundError' } });
    expect((await gatewayRecordOf(res)).outcome).toBe('not_found');
  });

  test("a possible duplicate (the PMS's own PossibleDuplicatePatientError, CONFLICT) is recorded as conflict", async () => {
    const REGISTER = 'mutation ($input: RegisterPatientInput!) { registerPatient(input: $input) { ... on Patient { id } } }';
    const twin = { name: { given: ['Grace'], family: 'Recordand' }, birthDate: '1990-07-01', sex: 'FEMALE' };
    const first = await platform.query<{ registerPatient: { id?: string } }>(REGISTER, { input: twin }, { as: { role: 'front_desk' } });
    expect(first.data?.registerPatient.id).toBeTruthy();
    expect((await gatewayRecordOf(first)).outcome).toBe('success');
    const again = await platform.query<{ registerPatient: { id?: string } }>(REGISTER, { input: twin }, { as: { role: 'front_desk' } });
    expect(again.data).toEqual({ registerPatient: {} });
    expect((await gatewayRecordOf(again)).outcome).toBe('conflict');
  });

  test('a mutation that succeeds is recorded as success', async () => {
    const res = await platform.query<{ recordConsent: { __typename: string } }>(RECORD_CONSENT('__typename'), consentInput(), {
      as: FRONT_DESK,
    });
    expect(res.data?.recordConsent.__typename).toBe('Consent');
    expect((await gatewayRecordOf(res)).outcome).toBe('success');
  });

  test("the subgraphs' account of error results never reaches the client", async () => {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await platform.token({ role: 'clinician' })}` },
      body: JSON.stringify({ query: RECORD_CONSENT('__typename'), variables: consentInput() }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ data: { recordConsent: { __typename: 'ForbiddenError' } } });
  });
});

describe('outcomes of GraphQL errors', () => {
  test('a field refused to the caller is recorded as denied', async () => {
    const res = await platform.query(PATIENT_QUERY(fixture.patient), {}, { as: { role: 'analyst' } });
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect((await gatewayRecordOf(res)).outcome).toBe('denied');
  });

  test('a bad argument (BAD_USER_INPUT) and an operation over a limit (GRAPHQL_VALIDATION_FAILED) are recorded as invalid', async () => {
    const bad = await platform.query('{ patients(first: 101) { edges { node { id } } } }');
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect((await gatewayRecordOf(bad)).outcome).toBe('invalid');
    const deep = await platform.query(`{ patient(id: "${fixture.patient}") { ${'id '.repeat(1000)} } }`);
    expect(deep.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await gatewayRecordOf(deep)).outcome).toBe('invalid');
  });

  test('a patient asked for by an id that does not exist is recorded as not_found', async () => {
    const res = await platform.query('{ patient(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gatewayRecordOf(res)).outcome).toBe('not_found');
  });
});

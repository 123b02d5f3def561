import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinedQuery, type JoinedEncounter } from '../support/joined-query.js';
import { statementsDuring } from '../support/statements.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The whole platform over HTTP: gateway -> PMS and EHR subgraphs -> PostgreSQL (or PGlite).

const PATIENTS_WITH_ALLERGIES = /* GraphQL */ `
  query ($first: Int!) {
    patients(first: $first) {
      edges {
        node {
          id
          mrn
          allergies {
            substance
          }
        }
      }
    }
  }
`;

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 120, seed: 42 });
});

afterAll(async () => {
  await platform?.stop();
});

describe('the federated graph through the gateway', () => {
  test('joins encounters with their patient, allergies, provider and signed notes in one query', async () => {
    const res = await platform.query<{ encounters: { edges: Array<{ node: JoinedEncounter }> } }>(joinedQuery(5));
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.encounters.edges.map((e) => e.node);
    expect(nodes).toHaveLength(5);

    const pms = platform.pmsDatabase.db;
    const ehr = platform.ehrDatabase.db;
    const latest = await pms
      .selectFrom('pms.encounter')
      .selectAll()
      .orderBy('service_date', 'desc')
      .orderBy('id', 'desc')
      .limit(5)
      .execute();
    expect(nodes.map((n) => n.id)).toEqual(latest.map((e) => e.id));

    for (const node of nodes) {
      const encounter = latest.find((e) => e.id === node.id)!;
      expect(node.serviceDate).toBe(encounter.service_date);
      const patient = await pms.selectFrom('pms.patient').selectAll().where('id', '=', encounter.patient_id).executeTakeFirstOrThrow();
      expect(node.patient).toMatchObject({
        id: patient.id,
        mrn: patient.mrn,
        name: { given: patient.given_names, family: patient.family_name },
      });
      const allergies = await ehr
        .selectFrom('ehr.allergy')
        .selectAll()
        .where('patient_id', '=', patient.id)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
      expect(node.patient.allergies.map((a) => a.substance)).toEqual(allergies.map((a) => a.substance));
      const provider = await pms.selectFrom('pms.provider').selectAll().where('id', '=', encounter.provider_id).executeTakeFirstOrThrow();
      expect(node.provider).toEqual({ id: provider.id, npi: provider.npi, name: { family: provider.family_name } });
      const notes = await ehr
        .selectFrom('ehr.clinical_note')
        .selectAll()
        .where('encounter_id', '=', encounter.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      expect(node.notes.map((n) => n.id)).toEqual(notes.map((n) => n.id));
      for (const [i, note] of node.notes.entries()) {
        const row = notes[i]!;
        expect(note.status).toBe(row.status === 'signed' ? 'SIGNED' : 'DRAFT');
        expect(note.signedAt).toBe(row.signed_at ? row.signed_at.toISOString() : null);
        // The EHR holds only the author's id; the gateway fetched the NPI from the PMS.
        const author = await pms.selectFrom('pms.provider').select('npi').where('id', '=', row.author_id).executeTakeFirstOrThrow();
        expect(note.author.npi).toBe(author.npi);
      }
    }
  });

  test('lists 50 patients with their allergies in as many SQL statements as 5: one per subgraph fetch', async () => {
    const statementsFor = (first: number) =>
      statementsDuring(platform, async () => {
        const res = await platform.query<{ patients: { edges: unknown[] } }>(PATIENTS_WITH_ALLERGIES, { first });
        expect(res.errors).toBeUndefined();
        expect(res.data!.patients.edges).toHaveLength(first);
      });
    const forFive = await statementsFor(5);
    const forFifty = await statementsFor(50);
    // One page query in the PMS, one batched allergy lookup in the EHR for all the patients.
    expect(forFive).toBe(2);
    expect(forFifty).toBe(forFive);
  });

  test('pages through every patient by cursor with no gap and no repeat', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const res: Awaited<
        ReturnType<
          typeof platform.query<{
            patients: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
          }>
        >
      > = await platform.query(
        'query ($after: String) { patients(first: 50, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.patients.edges.map((e) => e.node.id));
      if (!res.data!.patients.pageInfo.hasNextPage) break;
      after = res.data!.patients.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  test('finds a patient by exact MRN and by family-name prefix', async () => {
    const one = await platform.pmsDatabase.db
      .selectFrom('pms.patient')
      .select(['id', 'mrn', 'family_name'])
      .orderBy('mrn')
      .limit(1)
      .executeTakeFirstOrThrow();
    const byMrn = await platform.query<{ patients: { edges: Array<{ node: { id: string } }> } }>(
      'query ($s: String) { patients(search: $s) { edges { node { id } } } }',
      { s: one.mrn.toLowerCase() },
    );
    expect(byMrn.data!.patients.edges.map((e) => e.node.id)).toEqual([one.id]);
    const byName = await platform.query<{ patients: { edges: Array<{ node: { id: string; name: { family: string } } }> } }>(
      'query ($s: String) { patients(search: $s, first: 100) { edges { node { id name { family } } } } }',
      { s: one.family_name.slice(0, 3) },
    );
    expect(byName.data!.patients.edges.map((e) => e.node.id)).toContain(one.id);
    for (const edge of byName.data!.patients.edges) {
      expect(edge.node.name.family.toLowerCase().startsWith(one.family_name.slice(0, 3).toLowerCase())).toBe(true);
    }
  });

  test('filters encounters by patient and inclusive service-date range', async () => {
    const row = await platform.pmsDatabase.db.selectFrom('pms.encounter').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
    const res = await platform.query<{ encounters: { edges: Array<{ node: { id: string; serviceDate: string } }> } }>(
      'query ($p: ID, $d: Date) { encounters(patientId: $p, from: $d, to: $d) { edges { node { id serviceDate } } } }',
      { p: row.patient_id, d: row.service_date },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.encounters.edges.map((e) => e.node)).toContainEqual({ id: row.id, serviceDate: row.service_date });
    for (const edge of res.data!.encounters.edges) expect(edge.node.serviceDate).toBe(row.service_date);
  });
});

describe('request ids', () => {
  test("makes its own request id, echoes the caller's as X-Correlation-Id, and hands its own to every subgraph the query touched", async () => {
    const sent = `test-${Date.now()}`;
    const res = await platform.query(PATIENTS_WITH_ALLERGIES, { first: 2 }, { headers: { 'x-request-id': sent } });
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-correlation-id')).toBe(sent);
    const services = new Set(
      platform.logs.filter((l) => l['event'] === 'request' && l['requestId'] === requestId).map((l) => l['service']),
    );
    expect(services).toEqual(new Set(['gateway', 'pms', 'ehr']));
    // The caller's id is in no log line: it is the caller's to choose, so it is recorded only in the audit trail.
    expect(platform.logs.some((l) => JSON.stringify(l).includes(sent))).toBe(false);
  });

  test('makes a request id when the caller sends none', async () => {
    const res = await platform.query('{ providers(first: 1) { edges { node { id } } } }');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('bad input', () => {
  const MISSING = '00000000-0000-4000-8000-000000000000';

  test.each(['patient', 'encounter', 'provider'])('an unknown %s id answers null with NOT_FOUND at its path', async (field) => {
    const res = await platform.query(`query ($id: ID!) { ${field}(id: $id) { id } }`, { id: MISSING });
    expect(res.data).toEqual({ [field]: null });
    expect(res.errors).toEqual([expect.objectContaining({ path: [field], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });

  test('an unknown patient id in a list filter gives an empty connection', async () => {
    const res = await platform.query('query ($p: ID) { encounters(patientId: $p) { edges { node { id } } pageInfo { hasNextPage } } }', {
      p: MISSING,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ encounters: { edges: [], pageInfo: { hasNextPage: false } } });
  });

  test.each([
    ['a malformed id', '{ patient(id: "12; drop table") { id } }', 'id'],
    ['a malformed filter id', '{ encounters(providerId: "x") { edges { cursor } } }', 'providerId'],
    ['first over the maximum of 100', '{ patients(first: 101) { edges { cursor } } }', 'first'],
    ['a negative first', '{ providers(first: -1) { edges { cursor } } }', 'first'],
    ['a cursor not made by this list', '{ patients(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }', 'after'],
    ['a reversed date range', '{ encounters(from: "2026-02-01", to: "2026-01-01") { edges { cursor } } }', 'to'],
  ])('%s is BAD_USER_INPUT naming the argument', async (_case, query, field) => {
    const res = await platform.query(query);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) })]);
  });

  test.each([
    ['a literal', '{ encounters(from: "2026-02-30") { edges { cursor } } }', {}, 'from'],
    ['a variable', 'query ($d: Date) { encounters(to: $d) { edges { cursor } } }', { d: '2026-13-01' }, 'd'],
  ])('an impossible calendar date in %s is BAD_USER_INPUT before any subgraph is called', async (_case, query, variables, field) => {
    const before = platform.pmsDatabase.statements.count;
    const res = await platform.query(query, variables);
    expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } })]);
    expect(platform.pmsDatabase.statements.count).toBe(before);
  });
});

describe('health', () => {
  test('the gateway reports itself and each subgraph', async () => {
    const res = await fetch(new URL('/health', platform.gatewayUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', subgraphs: { pms: 'ok', ehr: 'ok' } });
  });

  test.each(['pms', 'ehr'] as const)('the %s subgraph answers when its database does', async (name) => {
    const res = await fetch(new URL('/health', name === 'pms' ? platform.pmsUrl : platform.ehrUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: name });
  });
});

// Last: it stops the EHR subgraph.
describe('a subgraph outage', () => {
  test('answers with the PMS data and an error naming the EHR, without crashing the gateway', async () => {
    await platform.stopSubgraph('ehr');
    const res = await platform.query<{ patients: { edges: Array<{ node: { id: string; mrn: string; allergies: unknown } }> } }>(
      PATIENTS_WITH_ALLERGIES,
      { first: 3 },
    );
    expect(res.status).toBe(200);
    expect(res.data!.patients.edges).toHaveLength(3);
    for (const edge of res.data!.patients.edges) {
      expect(edge.node.mrn).toMatch(/^CB\d{8}$/);
      expect(edge.node.allergies).toBeNull();
    }
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'The ehr service is unavailable',
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'ehr' },
      }),
    ]);
    const health = await fetch(new URL('/health', platform.gatewayUrl));
    expect(await health.json()).toEqual({ status: 'degraded', subgraphs: { pms: 'ok', ehr: 'unavailable' } });
  });
});

import { sql } from 'kysely';
import { request } from 'node:http';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinedQuery } from '../support/joined-query.js';
import { taggedRequests } from '../support/tagged-requests.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The gateway's request limits (depth, aliases, tokens, cost, directives, body size) and its
// introspection policy, over HTTP, with the defaults a production gateway runs with.

let platform: TestPlatform;
let patientId = '';

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 7 });
  const patient = await platform.pmsDatabase.db.selectFrom('pms.patient').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  patientId = patient.id;
});

afterAll(async () => {
  await platform?.stop();
});

const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** `clinicalNote.encounter.notes.encounter...` nested `levels` deep below the note: the schema's cycle. */
function noteCycle(levels: number): string {
  let selection = 'id';
  for (let level = levels; level > 0; level -= 1) selection = `${level % 2 === 1 ? 'encounter' : 'notes'} { ${selection} }`;
  return `{ clinicalNote(id: "${SOME_ID}") { ${selection} } }`;
}

/** `count` aliases of `patient(id:)`. */
const aliasFlood = (count: number, id: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `p${i}: patient(id: "${id}") { id }`).join(' ')} }`;

const REFUSED: Array<[string, () => string, RegExp]> = [
  [
    'too deep (the note -> encounter -> notes cycle, 12 fields deep)',
    () => noteCycle(10),
    /^Query depth limit of 10 exceeded, found 12\.$/,
  ],
  ['an alias flood of patient(id:)', () => aliasFlood(50, SOME_ID), /^Aliases limit of 15 exceeded, found 50\.$/],
  [
    'too costly (the joined query over 100 encounters)',
    () => joinedQuery(100),
    /^Query Cost limit of 10000 exceeded, found \d+(\.\d+)?\.$/,
  ],
  [
    'too many directives',
    () => `{ patient(id: "${SOME_ID}") { ${'id @include(if: true) '.repeat(21)} } }`,
    /^Directives limit of 20 exceeded, found 21\.$/,
  ],
];

describe('limits on one operation', () => {
  test.each(REFUSED)(
    'a query %s is GRAPHQL_VALIDATION_FAILED with HTTP 400, before any subgraph is called',
    async (_case, query, message) => {
      const before = { pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count };
      const res = await platform.query(query());
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
      expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|Syntax Error|at \//);
      expect({ pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count }).toEqual(before);
    },
  );

  test('a document of too many tokens is dropped while parsing, and the refusal is audited', async () => {
    const before = { pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count };
    const requestId = 'limits-too-many-tokens';
    const res = await platform.query(
      `{ patient(id: "${SOME_ID}") { ${'id '.repeat(1000)} } }`,
      {},
      { headers: { 'x-request-id': requestId } },
    );
    expect(res.status).toBe(400);
    // graphql-js's own wording (it says "more that").
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/Document contains more th\w+ 1000 tokens/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
    expect({ pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count }).toEqual(before);
    const { rows } = await sql<{ outcome: string; action: string }>`
      select outcome, action from audit.event where request_id in ${taggedRequests(requestId)}`.execute(platform.owner.db);
    expect(rows).toEqual([{ outcome: 'invalid', action: 'graphql.request' }]);
  });

  test("a syntax error is GRAPHQL_VALIDATION_FAILED, with the parser's message", async () => {
    const res = await platform.query(`{ patient(id: "${SOME_ID}") { id `);
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^Syntax Error: Expected Name, found <EOF>/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
  });

  test('15 aliases, the limit, still answer', async () => {
    const res = await platform.query<Record<string, { id: string }>>(aliasFlood(15, patientId));
    expect(res.errors).toBeUndefined();
    expect(Object.values(res.data ?? {})).toHaveLength(15);
  });

  test('the joined query of the README still answers', async () => {
    const res = await platform.query<{ encounters: { edges: Array<{ node: { patient: { mrn: string }; notes: unknown[] } }> } }>(
      joinedQuery(5),
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.encounters.edges).toHaveLength(5);
    for (const { node } of res.data!.encounters.edges) expect(node.patient.mrn).toMatch(/^CB\d{8}$/);
  });
});

describe('list sizes passed as variables', () => {
  // 15 aliases (the limit) of a page of patients: about 33 a patient asked for, so 100 each is over
  // the cost limit, however the 100 is written.
  const PAGE = 'edges { node { id mrn name { given family } } }';
  const pages = (size: string) => Array.from({ length: 15 }, (_, i) => `p${i}: patients(first: ${size}) { ${PAGE} }`).join(' ');
  const BY_VARIABLE = `query Pages($n: Int) { ${pages('$n')} }`;
  const COST_REFUSAL = {
    message: expect.stringMatching(/^Query Cost limit of 10000 exceeded, found \d+(\.\d+)?\.$/),
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  };

  test('the same operation is refused with the size as a variable as with the literal, before any subgraph is called', async () => {
    const before = { pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count };
    const literal = await platform.query(`{ ${pages('100')} }`);
    const variable = await platform.query(BY_VARIABLE, { n: 100 });
    for (const res of [literal, variable]) {
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([COST_REFUSAL]);
    }
    // Counted alike: the same cost in both messages.
    expect(variable.errors?.[0]?.message).toBe(literal.errors?.[0]?.message);
    expect({ pms: platform.pmsDatabase.statements.count, ehr: platform.ehrDatabase.statements.count }).toEqual(before);
  });

  test('a size the gateway cannot read counts as the largest page', async () => {
    const res = await platform.query(BY_VARIABLE, { n: '100' });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([COST_REFUSAL]);
  });

  test('the same operation under the limit answers, and the cost is counted per request, not once per document', async () => {
    const small = await platform.query<Record<string, { edges: unknown[] }>>(BY_VARIABLE, { n: 2 });
    expect(small.status).toBe(200);
    expect(small.errors).toBeUndefined();
    expect(Object.values(small.data ?? {})).toHaveLength(15);
    for (const page of Object.values(small.data!)) expect(page.edges).toHaveLength(2);
    // The document Apollo Server has now validated and cached is refused again with a larger size.
    expect((await platform.query(BY_VARIABLE, { n: 100 })).errors).toEqual([COST_REFUSAL]);
  });

  test('a variable left out counts as the page the subgraph will return (20), which is under the limit here', async () => {
    const res = await platform.query<Record<string, { edges: unknown[] }>>(BY_VARIABLE, {});
    expect(res.errors).toBeUndefined();
    expect(res.data?.['p0']?.edges).toHaveLength(20);
  });
});

/**
 * Posts on a connection of its own that closes after the answer: the server refuses an oversized
 * body without reading the rest of it, so the connection that carried one cannot carry another.
 */
function postOnOwnConnection(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headersOut = { ...headers, connection: 'close', 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method: 'POST', agent: false, headers: headersOut }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('request size', () => {
  test('a 2 MiB body is refused with 413 before it is parsed', async () => {
    const before = platform.pmsDatabase.statements.count;
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const authorization = `Bearer ${await platform.token({ role: 'clinician' })}`;
    const res = await postOnOwnConnection(platform.gatewayUrl, { 'content-type': 'application/json', authorization }, body);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] });
    expect(platform.pmsDatabase.statements.count).toBe(before);
  });
});

describe('introspection in production', () => {
  const SCHEMA_QUERY = '{ __schema { queryType { name } } }';
  const TYPE_QUERY = '{ __type(name: "Patient") { fields { name } } }';

  test.each([
    ['clinician', SCHEMA_QUERY],
    ['clinician', TYPE_QUERY],
    ['biller', SCHEMA_QUERY],
    ['analyst', TYPE_QUERY],
  ] as const)('a %s asking %s is refused with FORBIDDEN', async (role, query) => {
    const res = await platform.query(query, {}, { as: { role } });
    expect(res.status).toBe(403);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      { message: expect.stringMatching(/^Introspection is not available to this role/), extensions: { code: 'FORBIDDEN' } },
    ]);
  });

  test('a patient cannot hide __type in a fragment', async () => {
    const res = await platform.query(
      'query { ...Peek } fragment Peek on Query { __type(name: "ClinicalNote") { name } }',
      {},
      { as: { role: 'patient', patient: patientId } },
    );
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
  });

  test('__typename is not introspection', async () => {
    const res = await platform.query('{ __typename }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __typename: 'Query' });
  });

  test('an admin runs the full introspection query', async () => {
    const res = await platform.query<{ __schema: { types: Array<{ name: string }> } }>(
      getIntrospectionQuery(),
      {},
      { as: { role: 'admin' } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.__schema.types.map((t) => t.name)).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'ClinicalNote']));
  });

  test('error messages suggest no field names in production', async () => {
    const res = await platform.query(`{ patient(id: "${SOME_ID}") { birthdat } }`);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });
});

import { inTransaction } from '@chartbridge/db';
import type { DevTokenClaims } from '@chartbridge/gateway';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { restrictedNoteFixture } from '../support/restricted-note.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/test-platform.js';

// What the gateway and both subgraphs log during a representative session (every role, refusals,
// bad input, a break-the-glass read), at debug level: never a patient's identifiers, never a token.

let platform: TestPlatform;
const fixture = { patient: '', other: '', restrictedNote: '', family: '', mrn: '' };
/** Every bearer token the session sent. */
const tokens: string[] = [];
const BREAK_GLASS_REASON = 'Unresponsive patient in the emergency room, history needed now';

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 60, seed: 11 });
  Object.assign(fixture, await restrictedNoteFixture(platform));
});

afterAll(async () => {
  await platform?.stop();
});

/** Sends a query with a freshly minted bearer token, kept to look for later. */
async function as(
  claims: DevTokenClaims,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse> {
  const token = await platform.token(claims);
  tokens.push(token);
  return platform.query(query, variables, { as: null, headers: { authorization: `Bearer ${token}`, ...headers } });
}

const DEMOGRAPHICS = 'id mrn name { given family } birthDate sex phone email address { line city state postalCode country }';

/** The identifying values of every patient, as the database owner reads them. */
async function everyPatientsIdentifiers(): Promise<{ anywhere: string[]; standalone: string[] }> {
  const { rows } = await sql<{
    given_names: string[];
    family_name: string;
    mrn: string;
    birth_date: string;
    phone: string | null;
    email: string | null;
    address_lines: string[];
    city: string | null;
    postal_code: string | null;
  }>`select given_names, family_name, mrn, birth_date::text, phone, email, address_lines, city, postal_code from pms.patient`.execute(
    platform.owner.db,
  );
  expect(rows.length).toBe(60);
  return {
    anywhere: rows
      .flatMap((r) => [...r.given_names, r.family_name, r.mrn, r.birth_date, r.phone, r.email, ...r.address_lines, r.city])
      .filter((v): v is string => !!v),
    // Five digits also occur inside ports and request ids; a ZIP code counts when it stands alone.
    // State and country are left out: two capitals, not identifying (Safe Harbor keeps the state),
    // found inside any upper-case code.
    standalone: rows.map((r) => r.postal_code).filter((v): v is string => !!v),
  };
}

describe('a write transaction run again', () => {
  test('is logged once, by the service whose pool it ran on, with the code and the run that failed', async () => {
    const before = platform.logs.length;
    let runs = 0;
    // What a deadlock looks like to inTransaction: PostgreSQL's code on the error; the real one is in db/src/transactions.test.ts.
    await inTransaction(platform.ehrDatabase.db, async (trx) => {
      runs += 1;
      await sql`select 1`.execute(trx);
      if (runs === 1) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    });
    expect(runs).toBe(2);
    const retried = platform.logs.slice(before).filter((l) => l['event'] === 'transaction.retried');
    expect(retried).toEqual([expect.objectContaining({ service: 'ehr', level: 'warn', code: '40P01', attempt: 1 })]);
  });
});

describe('logs through a whole session', () => {
  beforeAll(async () => {
    const results = [
      await as(
        { role: 'clinician' },
        `{ encounters(first: 10) { edges { node { id serviceDate patient { ${DEMOGRAPHICS} allergies { substance reaction } } notes { status kind signedAt } } } } }`,
      ),
      await as(
        { role: 'biller' },
        `query ($id: ID!) { patient(id: $id) { ${DEMOGRAPHICS} } encounters(patientId: $id) { edges { node { notes { status assessment } } } } }`,
        { id: fixture.patient },
      ),
      await as({ role: 'front_desk' }, `query ($s: String) { patients(search: $s, first: 20) { edges { node { ${DEMOGRAPHICS} } } } }`, {
        s: fixture.family,
      }),
      await as({ role: 'front_desk' }, 'query ($s: String) { patients(search: $s) { edges { node { id } } } }', { s: fixture.mrn }),
      await as(
        { role: 'patient', patient: fixture.patient },
        `query ($id: ID!) { patient(id: $id) { ${DEMOGRAPHICS} allergies { substance } } }`,
        { id: fixture.patient },
      ),
      await as({ role: 'patient', patient: fixture.patient }, `{ patient(id: "${fixture.other}") { ${DEMOGRAPHICS} } }`),
      await as({ role: 'analyst' }, '{ patients { edges { node { id name { family } } } } }'),
      await as(
        { role: 'clinician' },
        `{ clinicalNote(id: "${fixture.restrictedNote}") { kind subjective assessment } }`,
        {},
        { 'x-break-glass-reason': BREAK_GLASS_REASON },
      ),
      await as({ role: 'clinician' }, '{ patient(id: "12; drop table patients") { id } }'),
      await platform.query('{ patients { edges { node { id } } } }', {}, { as: null, headers: { authorization: 'Bearer not.a.token' } }),
    ];
    // The session went as planned: data where allowed, each refusal for its reason.
    expect(results.map((r) => [r.status, r.errors?.[0]?.extensions?.['code'] ?? 'ok'])).toEqual([
      [200, 'ok'],
      [200, 'FORBIDDEN'],
      [200, 'ok'],
      [200, 'ok'],
      [200, 'ok'],
      [200, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [200, 'ok'],
      [200, 'BAD_USER_INPUT'],
      [401, 'UNAUTHENTICATED'],
    ]);
  });

  /** Each captured line as written, less its `time`: the logger's own clock, which a birth date may match. */
  const lines = () => platform.logs.map(({ time: _time, ...rest }) => JSON.stringify(rest));

  test('were written by the gateway and both subgraphs, refusals included', () => {
    expect(new Set(platform.logs.map((l) => l['service']))).toEqual(new Set(['gateway', 'pms', 'ehr']));
    expect(platform.logs.some((l) => l['event'] === 'auth.refused')).toBe(true);
    expect(platform.logs.filter((l) => l['event'] === 'request').length).toBeGreaterThanOrEqual(10);
  });

  test('hold no patient name, MRN, birth date, phone, e-mail or address', async () => {
    const { anywhere, standalone } = await everyPatientsIdentifiers();
    const text = lines().join('\n');
    expect(anywhere.filter((value) => text.includes(value))).toEqual([]);
    expect(standalone.filter((value) => new RegExp(`(?<![\\w:-])${value}(?![\\w-])`).test(text))).toEqual([]);
  });

  test("hold no bearer token, caller's or internal, and no break-the-glass reason", () => {
    const text = lines().join('\n');
    expect(tokens.length).toBeGreaterThanOrEqual(9);
    for (const token of tokens) expect(text).not.toContain(token.split('.')[2]);
    // A JWT starts with the base64url of '{"': the internal tokens the gateway signed would show so.
    expect(text).not.toMatch(/eyJ[\w-]*\.[\w-]*/);
    expect(text).not.toMatch(/Bearer|not\.a\.token/);
    expect(text).not.toContain(BREAK_GLASS_REASON);
    expect(text).not.toMatch(/emergency/i);
  });
});

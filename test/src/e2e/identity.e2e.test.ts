import { randomBytes } from 'node:crypto';
import { generateDevSigningKey, issueDevToken } from '@chartbridge/gateway';
import { InternalTokenKey, signInternalToken, type Identity } from '@chartbridge/kit';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, postGraphQL, startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// Who may call: the gateway's checks of caller tokens, purposes and break-the-glass, and the
// subgraphs' refusal of anything the gateway did not sign.

const QUERY = '{ providers(first: 1) { edges { node { id } } } }';
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 20, seed: 3 });
});

afterAll(async () => {
  await platform?.stop();
});

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function asBearer(token: string, headers: Record<string, string> = {}) {
  return postGraphQL(platform.gatewayUrl, QUERY, {}, { authorization: `Bearer ${token}`, ...headers });
}

describe('caller tokens at the gateway', () => {
  test('a valid token is accepted', async () => {
    const res = await asBearer(await platform.token({ role: 'front_desk' }));
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
  });

  test('no token is 401 UNAUTHENTICATED with no data', async () => {
    const res = await platform.query(QUERY, {}, { as: null });
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  const otherKey = generateDevSigningKey();
  const cases: Array<[string, () => Promise<string>]> = [
    ['expired', async () => platform.token({ role: 'clinician' }, { ttlSeconds: -120 })],
    ['for another audience', async () => platform.token({ role: 'clinician' }, { audience: 'someone-else' })],
    ['from another issuer', async () => platform.token({ role: 'clinician' }, { issuer: 'https://evil.example' })],
    [
      'signed by another key',
      async () => issueDevToken(await otherKey, { role: 'clinician' }, { issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE }),
    ],
    [
      'unsigned (alg: none)',
      async () =>
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', role: 'clinician', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now() + 600 })}.`,
    ],
    [
      'signed with HS256 (a shared-secret algorithm)',
      async () =>
        new SignJWT({ role: 'clinician' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('x')
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setExpirationTime('10m')
          .sign(randomBytes(32)),
    ],
    [
      'not yet valid (nbf an hour ahead)',
      async () => {
        const key = await otherKey;
        return new SignJWT({ role: 'clinician' })
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('x')
          .setIssuer(TOKEN_ISSUER)
          .setAudience(TOKEN_AUDIENCE)
          .setNotBefore(now() + 3600)
          .setExpirationTime('2h')
          .sign(await importJWK(key.privateJwk, 'ES256'));
      },
    ],
    ['with an unknown role', async () => platform.token({ role: 'superuser' as never })],
    ['of a patient without a patient id', async () => platform.token({ role: 'patient' })],
    ['of a partner without a partner id', async () => platform.token({ role: 'partner' })],
    ['that is garbage', async () => 'not.a.jwt'],
  ];

  test.each(cases)('a token %s is 401 UNAUTHENTICATED', async (_case, make) => {
    const res = await asBearer(await make());
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      expect.objectContaining({ message: 'The bearer token is not valid', extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });
});

describe('purpose of use and break-the-glass', () => {
  test('a role acts under its default purpose when none is named', async () => {
    const res = await asBearer(await platform.token({ role: 'biller' }));
    expect(res.errors).toBeUndefined();
  });

  test.each([
    ['clinician', 'PAYMENT'],
    ['biller', 'TREATMENT'],
    ['analyst', 'TREATMENT'],
  ] as const)('the %s role is refused for %s with 403 FORBIDDEN', async (role, purpose) => {
    const res = await asBearer(await platform.token({ role }), { 'x-purpose-of-use': purpose });
    expect(res.status).toBe(403);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  test('a token limited to one purpose cannot be used for another', async () => {
    const res = await asBearer(await platform.token({ role: 'front_desk', purpose: 'OPERATIONS' }), { 'x-purpose-of-use': 'PAYMENT' });
    expect(res.status).toBe(403);
    expect(res.errors?.[0]?.message).toBe('This token is limited to OPERATIONS');
  });

  test('an unknown purpose is BAD_USER_INPUT naming the header', async () => {
    const res = await asBearer(await platform.token({ role: 'clinician' }), { 'x-purpose-of-use': 'MARKETING' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'X-Purpose-Of-Use' });
  });

  test('only a role allowed to may break the glass', async () => {
    const res = await asBearer(await platform.token({ role: 'nurse' }), {
      'x-break-glass-reason': 'Unconscious patient in the emergency room',
    });
    expect(res.status).toBe(403);
  });

  test('a break-the-glass reason must say something', async () => {
    const res = await asBearer(await platform.token({ role: 'clinician' }), { 'x-break-glass-reason': 'because' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.['field']).toBe('X-Break-Glass-Reason');
  });
});

describe('subgraphs answer only the gateway', () => {
  const identity: Identity = {
    subject: 'intruder',
    role: 'clinician',
    scopes: [],
    patientId: null,
    partnerId: null,
    providerId: null,
    purpose: 'TREATMENT',
    breakGlassReason: null,
    client: null,
  };
  const ENTITIES = {
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Patient { id allergies { substance } } } }',
    variables: { r: [{ __typename: 'Patient', id: '00000000-0000-4000-8000-000000000000' }] },
  };

  const attempts: Array<[string, 'pms' | 'ehr', string, Record<string, unknown>, () => Promise<Record<string, string>>]> = [
    ['a query with no token', 'pms', '{ patients { edges { node { id mrn } } } }', {}, async () => ({})],
    ['_service with no token', 'pms', '{ _service { sdl } }', {}, async () => ({})],
    ['_entities with no token', 'ehr', ENTITIES.query, ENTITIES.variables, async () => ({})],
    [
      'a query with a caller token',
      'pms',
      '{ patients { edges { node { mrn } } } }',
      {},
      async () => ({ authorization: `Bearer ${await platform.token({ role: 'clinician' })}` }),
    ],
    [
      '_entities with an internal token signed by another secret',
      'ehr',
      ENTITIES.query,
      ENTITIES.variables,
      async () => ({ authorization: `Bearer ${await signInternalToken(new InternalTokenKey(randomBytes(32)), identity, 'r1')}` }),
    ],
  ];

  test.each(attempts)('%s to the %s subgraph is 401 UNAUTHENTICATED', async (_case, subgraph, query, variables, headers) => {
    const res = await postGraphQL(subgraph === 'pms' ? platform.pmsUrl : platform.ehrUrl, query, variables, await headers());
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});

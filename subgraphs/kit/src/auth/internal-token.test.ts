import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Identity } from './identity.js';
import {
  INTERNAL_AUDIENCE,
  INTERNAL_ISSUER,
  InternalTokenError,
  InternalTokenKey,
  signInternalToken,
  verifyInternalToken,
} from './internal-token.js';

const identity: Identity = {
  subject: 'analyst-7',
  role: 'analyst',
  scopes: ['reports:read'],
  patientId: null,
  partnerId: null,
  providerId: null,
  purpose: 'OPERATIONS',
  breakGlassReason: null,
  client: 'rcm-dashboard',
};
const secret = randomBytes(32);
const key = new InternalTokenKey(secret);
const NOW = 1_900_000_000_000;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const HEADER = b64({ alg: 'HS256', typ: 'JWT' });

/** A token signed with `key` over any header and payload, as a forger holding the secret could make one. */
function signed(header: string, payload: unknown, with_ = key): string {
  const input = `${header}.${b64(payload)}`;
  return `${input}.${with_.mac(input).toString('base64url')}`;
}

function payloadOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function refusal(token: string, nowMs = NOW, with_ = key): Promise<string> {
  const error: unknown = await verifyInternalToken(with_, token, nowMs).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InternalTokenError);
  return (error as Error).message.replace('Internal token rejected: ', '');
}

describe('internal tokens', () => {
  it('carry the identity and request id from the gateway to a subgraph', async () => {
    const token = await signInternalToken(key, identity, 'req-42', 60, NOW);
    expect(await verifyInternalToken(key, token, NOW)).toEqual({ identity, requestId: 'req-42' });
    expect(payloadOf(token)).toMatchObject({ iss: INTERNAL_ISSUER, aud: INTERNAL_AUDIENCE, iat: NOW / 1000, exp: NOW / 1000 + 60 });
  });

  it("carry the caller's provider, and none from gateways before the claim", async () => {
    const clinician: Identity = {
      ...identity,
      role: 'clinician',
      purpose: 'TREATMENT',
      providerId: '3f2b8a4e-7d6c-4b1a-9e0f-5a4c3b2d1e0f',
    };
    const token = await signInternalToken(key, clinician, 'req-7', 60, NOW);
    expect(payloadOf(token)).toMatchObject({ prv: clinician.providerId });
    expect((await verifyInternalToken(key, token, NOW)).identity.providerId).toBe(clinician.providerId);
    const older = payloadOf(token);
    delete older['prv'];
    expect((await verifyInternalToken(key, signed(HEADER, older), NOW)).identity.providerId).toBeNull();
  });

  it('are standard HS256 JWTs both ways (jose reads ours; ours reads the older jose-signed ones)', async () => {
    const token = await signInternalToken(key, identity, 'req-1');
    const { payload, protectedHeader } = await jwtVerify(token, secret, {
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      algorithms: ['HS256'],
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.sub).toBe('analyst-7');
    const older = await new SignJWT({
      role: 'analyst',
      scope: '',
      pat: null,
      ptn: null,
      pou: 'OPERATIONS',
      bgr: null,
      cli: null,
      rid: 'req-2',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('analyst-7')
      .setIssuer(INTERNAL_ISSUER)
      .setAudience(INTERNAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(secret);
    expect((await verifyInternalToken(key, older)).requestId).toBe('req-2');
  });

  it('are refused when signed with another secret or changed after signing', async () => {
    const token = await signInternalToken(key, identity, 'req-1', 60, NOW);
    expect(await refusal(token, NOW, new InternalTokenKey(randomBytes(32)))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    const [header, , signature] = token.split('.');
    const promoted = `${header}.${b64({ ...payloadOf(token), role: 'admin' })}.${signature}`;
    expect(await refusal(promoted)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await refusal(`${token.slice(0, -2)}AA`)).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('accept no other header, even correctly signed', async () => {
    const payload = payloadOf(await signInternalToken(key, identity, 'req-1', 60, NOW));
    for (const header of [
      { alg: 'none' },
      { alg: 'HS512', typ: 'JWT' },
      { alg: 'HS256', typ: 'JWT', kid: 'x' },
      { alg: 'HS256', crit: ['exp'] },
      { typ: 'JWT', alg: 'HS256' },
    ]) {
      expect(await refusal(signed(b64(header), payload))).toBe('ERR_JWS_INVALID');
    }
    expect(await refusal(`${b64({ alg: 'none' })}.${b64(payload)}.`)).toBe('ERR_JWS_INVALID');
  });

  it('expire after their minute (5 s of clock difference allowed) and are not accepted before they are issued', async () => {
    const token = await signInternalToken(key, identity, 'req-1', 60, NOW);
    expect((await verifyInternalToken(key, token, NOW + 64_000)).requestId).toBe('req-1');
    expect(await refusal(token, NOW + 65_000)).toBe('ERR_JWT_EXPIRED');
    expect((await verifyInternalToken(key, token, NOW - 5_000)).requestId).toBe('req-1');
    expect(await refusal(token, NOW - 6_000)).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('name this issuer and audience and carry their times', async () => {
    const payload = payloadOf(await signInternalToken(key, identity, 'req-1', 60, NOW));
    expect(await refusal(signed(HEADER, { ...payload, iss: 'someone-else' }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refusal(signed(HEADER, { ...payload, aud: 'chartbridge-api' }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refusal(signed(HEADER, { ...payload, aud: [INTERNAL_AUDIENCE] }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refusal(signed(HEADER, { ...payload, exp: undefined }))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await refusal(signed(HEADER, { ...payload, role: 'superuser' }))).toBe('ERR_CLAIMS_INVALID');
  });

  it('refuse what is not a token', async () => {
    const token = await signInternalToken(key, identity, 'req-1', 60, NOW);
    for (const bad of ['', 'abc', token.split('.').slice(0, 2).join('.'), `${token}.x`, token.replace(/\.[^.]+\./, '.*&^.')]) {
      expect(await refusal(bad)).toBe('ERR_JWS_INVALID');
    }
    const input = `${HEADER}.${Buffer.from('not json').toString('base64url')}`;
    expect(await refusal(`${input}.${key.mac(input).toString('base64url')}`)).toBe('ERR_JWT_INVALID');
  });

  it('need a secret of at least 32 bytes', () => {
    expect(() => new InternalTokenKey(randomBytes(31))).toThrow(RangeError);
    expect(() => new InternalTokenKey('x'.repeat(31))).toThrow(RangeError);
    expect(() => new InternalTokenKey('x'.repeat(32))).not.toThrow();
  });
});

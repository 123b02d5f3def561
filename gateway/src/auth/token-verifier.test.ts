import { SignJWT, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_ALGORITHM, generateDevSigningKey, type DevSigningKey } from './dev-signing-key.js';
import { TokenRejectedError, createTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

// The verifier's memory of verified tokens, with a clock the tests move. A remembered token is
// answered without jose, so jose's own checks (here `nbf`) show whether an answer came from memory.

const ISSUER = 'https://idp.test';
const AUDIENCE = 'chartbridge-api';
/** A fixed instant, in seconds, the tokens' times are set around. */
const T = 1_900_000_000;

let key: DevSigningKey;

beforeAll(async () => {
  key = await generateDevSigningKey();
});

async function token(times: { readonly nbf: number; readonly exp: number }, sub = 'analyst-1'): Promise<string> {
  return new SignJWT({ role: 'analyst' })
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: key.kid })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setNotBefore(times.nbf)
    .setExpirationTime(times.exp)
    .sign(await importJWK(key.privateJwk, DEV_ALGORITHM));
}

function verifierAt(clock: { seconds: number }, options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { kind: 'local', publicJwk: key.publicJwk },
    clockToleranceSeconds: 0,
    now: () => clock.seconds * 1000,
    ...options,
  });
}

async function reason(run: Promise<unknown>): Promise<string> {
  const error: unknown = await run.then(
    () => null,
    (e: unknown) => e,
  );
  return error instanceof TokenRejectedError ? error.reason : 'accepted';
}

describe('createTokenVerifier remembers verified tokens', () => {
  it('answers a verified token from memory (jose would now refuse it as not yet valid)', async () => {
    const clock = { seconds: T + 10 };
    const verify = verifierAt(clock);
    const t = await token({ nbf: T, exp: T + 3600 });
    expect((await verify(t)).subject).toBe('analyst-1');
    clock.seconds = T - 100;
    expect((await verify(t)).subject).toBe('analyst-1');
    // A verifier without memory checks again and refuses.
    expect(await reason(verifierAt(clock, { cacheSeconds: 0 })(t))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  it('never past the token’s expiry', async () => {
    const clock = { seconds: T };
    const verify = verifierAt(clock);
    const t = await token({ nbf: T - 10, exp: T + 30 });
    await verify(t);
    clock.seconds = T + 29;
    expect(await reason(verify(t))).toBe('accepted');
    clock.seconds = T + 30;
    expect(await reason(verify(t))).toBe('ERR_JWT_EXPIRED');
  });

  it('does not remember a refused token', async () => {
    const clock = { seconds: T - 100 };
    const verify = verifierAt(clock);
    const t = await token({ nbf: T, exp: T + 3600 });
    expect(await reason(verify(t))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    clock.seconds = T + 10;
    expect(await reason(verify(t))).toBe('accepted');
    const forged = `${t.slice(0, -4)}AAAA`;
    expect(await reason(verify(forged))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await reason(verify(forged))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('keeps at most cacheEntries tokens, dropping the oldest', async () => {
    const clock = { seconds: T + 10 };
    const verify = verifierAt(clock, { cacheEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => token({ nbf: T, exp: T + 3600 }, sub)));
    for (const t of [a, b, c]) await verify(t as string);
    clock.seconds = T - 100;
    expect(await reason(verify(a as string))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED');
    expect(await reason(verify(b as string))).toBe('accepted');
    expect(await reason(verify(c as string))).toBe('accepted');
  });

  it('shares frozen claims between the requests that send the token', async () => {
    const clock = { seconds: T + 10 };
    const verify = verifierAt(clock);
    const t = await token({ nbf: T, exp: T + 3600 });
    const first = await verify(t);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.scopes)).toBe(true);
    expect(await verify(t)).toBe(first);
  });
});

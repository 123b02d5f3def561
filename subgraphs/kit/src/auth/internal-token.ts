import { webcrypto } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { PURPOSES, ROLES, type Identity } from './identity.js';

/**
 * The token the gateway signs for each subgraph call: the caller's verified claims and the request id,
 * valid for a minute. Subgraphs accept nothing else, so a client that reaches a subgraph directly
 * (`_entities` and `_service` included) gets nothing. HMAC-SHA256 with a secret shared by the gateway
 * and the subgraphs only (never by clients).
 */
export const INTERNAL_ISSUER = 'chartbridge-gateway';
export const INTERNAL_AUDIENCE = 'chartbridge-subgraph';
const ALGORITHM = 'HS256';

/** The shared secret; at least 32 bytes (256 bits) as RFC 7518 requires for HS256. */
export class InternalTokenKey {
  readonly #secret: Uint8Array;
  #key: Promise<webcrypto.CryptoKey> | undefined;

  constructor(secret: string | Uint8Array) {
    const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (bytes.byteLength < 32) throw new RangeError('The internal token secret must be at least 32 bytes');
    this.#secret = bytes;
  }

  /** @internal The secret as an HMAC-SHA256 key, imported once (not on every token signed or checked). */
  get secret(): Promise<webcrypto.CryptoKey> {
    this.#key ??= webcrypto.subtle.importKey('raw', this.#secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    return this.#key;
  }
}

export interface InternalClaims {
  readonly identity: Identity;
  readonly requestId: string;
}

const claims = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  scope: z.string().default(''),
  pat: z.string().nullable().default(null),
  ptn: z.string().nullable().default(null),
  pou: z.enum(PURPOSES),
  bgr: z.string().nullable().default(null),
  cli: z.string().nullable().default(null),
  rid: z.string().min(1),
});

export async function signInternalToken(key: InternalTokenKey, identity: Identity, requestId: string, ttlSeconds = 60): Promise<string> {
  return new SignJWT({
    role: identity.role,
    scope: identity.scopes.join(' '),
    pat: identity.patientId,
    ptn: identity.partnerId,
    pou: identity.purpose,
    bgr: identity.breakGlassReason,
    cli: identity.client,
    rid: requestId,
  })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(identity.subject)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await key.secret);
}

export class InternalTokenError extends Error {
  override readonly name = 'InternalTokenError';
}

/** Verifies a gateway-signed token; throws {@link InternalTokenError} for anything else. */
export async function verifyInternalToken(key: InternalTokenKey, token: string): Promise<InternalClaims> {
  try {
    const { payload } = await jwtVerify(token, await key.secret, {
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      algorithms: [ALGORITHM],
      clockTolerance: 5,
    });
    const c = claims.parse(payload);
    return {
      requestId: c.rid,
      identity: {
        subject: c.sub,
        role: c.role,
        scopes: c.scope.split(' ').filter(Boolean),
        patientId: c.pat,
        partnerId: c.ptn,
        purpose: c.pou,
        breakGlassReason: c.bgr,
        client: c.cli,
      },
    };
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.code : error instanceof z.ZodError ? 'ERR_CLAIMS_INVALID' : 'ERR_UNKNOWN';
    throw new InternalTokenError(`Internal token rejected: ${reason}`);
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { PURPOSES, ROLES, type Identity } from './identity.js';

/**
 * The token the gateway signs for each subgraph call: the caller's verified claims and the request id,
 * valid for a minute. Subgraphs accept nothing else, so a client that reaches a subgraph directly
 * (`_entities` and `_service` included) gets nothing. HMAC-SHA256 with a secret shared by the gateway
 * and the subgraphs only (never by clients).
 *
 * The token is a JWT (RFC 7519) signed HS256 in the compact JWS form, made and checked here with
 * node:crypto: both ends are this code, so the header is one fixed value and anything else is
 * refused, and the HMAC runs synchronously (a WebCrypto call costs a thread-pool round trip, on
 * every request, twice).
 */
export const INTERNAL_ISSUER = 'chartbridge-gateway';
export const INTERNAL_AUDIENCE = 'chartbridge-subgraph';
const ALGORITHM = 'HS256';

/** The one header the gateway writes, encoded: `{"alg":"HS256","typ":"JWT"}`. */
const HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT' })).toString('base64url');
/** The headers accepted: the one above and `{"alg":"HS256"}`, which gateways before it wrote (a rolling upgrade mixes them for a minute). */
const ACCEPTED_HEADERS: ReadonlySet<string> = new Set([HEADER, Buffer.from(JSON.stringify({ alg: ALGORITHM })).toString('base64url')]);
/** Seconds of clock difference allowed between the gateway and a subgraph. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** The shared secret; at least 32 bytes (256 bits) as RFC 7518 requires for HS256. */
export class InternalTokenKey {
  readonly #secret: Buffer;

  constructor(secret: string | Uint8Array) {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
    if (bytes.byteLength < 32) throw new RangeError('The internal token secret must be at least 32 bytes');
    this.#secret = bytes;
  }

  /** @internal The HMAC-SHA256 of a token's signing input. */
  mac(signingInput: string): Buffer {
    return createHmac('sha256', this.#secret).update(signingInput).digest();
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
  prv: z.string().nullable().default(null),
  pou: z.enum(PURPOSES),
  bgr: z.string().nullable().default(null),
  cli: z.string().nullable().default(null),
  rid: z.string().min(1),
});

/** The registered claims every internal token carries, checked before the ChartBridge ones. */
const registered = z.object({
  iss: z.literal(INTERNAL_ISSUER),
  aud: z.literal(INTERNAL_AUDIENCE),
  iat: z.number().int(),
  exp: z.number().int(),
});

export async function signInternalToken(
  key: InternalTokenKey,
  identity: Identity,
  requestId: string,
  ttlSeconds = 60,
  nowMs = Date.now(),
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  const payload = {
    role: identity.role,
    scope: identity.scopes.join(' '),
    pat: identity.patientId,
    ptn: identity.partnerId,
    prv: identity.providerId,
    pou: identity.purpose,
    bgr: identity.breakGlassReason,
    cli: identity.client,
    rid: requestId,
    sub: identity.subject,
    iss: INTERNAL_ISSUER,
    aud: INTERNAL_AUDIENCE,
    iat,
    exp: iat + ttlSeconds,
  };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${key.mac(signingInput).toString('base64url')}`;
}

export class InternalTokenError extends Error {
  override readonly name = 'InternalTokenError';
}

class Refused extends Error {}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Verifies a gateway-signed token; throws {@link InternalTokenError} for anything else. */
export async function verifyInternalToken(key: InternalTokenKey, token: string, nowMs = Date.now()): Promise<InternalClaims> {
  try {
    const parts = token.split('.');
    if (parts.length !== 3) throw new Refused('ERR_JWS_INVALID');
    const [header, body, signature] = parts as [string, string, string];
    // Only the gateway's own headers: no other algorithm, no `none`, no `crit`, no `kid`.
    if (!ACCEPTED_HEADERS.has(header) || !BASE64URL.test(body) || !BASE64URL.test(signature)) throw new Refused('ERR_JWS_INVALID');
    const expected = key.mac(`${header}.${body}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Refused('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new Refused('ERR_JWT_INVALID');
    }
    const times = registered.safeParse(payload);
    if (!times.success) throw new Refused('ERR_JWT_CLAIM_VALIDATION_FAILED');
    const now = Math.floor(nowMs / 1000);
    if (times.data.exp <= now - CLOCK_TOLERANCE_SECONDS) throw new Refused('ERR_JWT_EXPIRED');
    if (times.data.iat > now + CLOCK_TOLERANCE_SECONDS) throw new Refused('ERR_JWT_CLAIM_VALIDATION_FAILED');
    const c = claims.parse(payload);
    return {
      requestId: c.rid,
      identity: {
        subject: c.sub,
        role: c.role,
        scopes: c.scope.split(' ').filter(Boolean),
        patientId: c.pat,
        partnerId: c.ptn,
        providerId: c.prv,
        purpose: c.pou,
        breakGlassReason: c.bgr,
        client: c.cli,
      },
    };
  } catch (error) {
    const reason = error instanceof Refused ? error.message : error instanceof z.ZodError ? 'ERR_CLAIMS_INVALID' : 'ERR_UNKNOWN';
    throw new InternalTokenError(`Internal token rejected: ${reason}`);
  }
}

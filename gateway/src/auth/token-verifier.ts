import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import { z } from 'zod';
import { PURPOSES, ROLES, isUuid, type Purpose, type Role } from '@chartbridge/kit';
import { DEV_ALGORITHM } from './dev-signing-key.js';

/** The caller's claims once the token is verified. */
export interface VerifiedClaims {
  readonly subject: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  readonly patientId: string | null;
  readonly partnerId: string | null;
  /** The provider (a PMS provider id) the caller is, when the token names one: authorship binds to it. */
  readonly providerId: string | null;
  /** The purpose the token is limited to, when it names one. */
  readonly purpose: Purpose | null;
}

export type TokenKeys =
  | { readonly kind: 'jwks'; readonly url: string; readonly algorithms: readonly string[] }
  | { readonly kind: 'local'; readonly publicJwk: JWK };

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly keys: TokenKeys;
  /** Allowed clock difference for `exp` and `nbf`, in seconds. */
  readonly clockToleranceSeconds?: number;
  /**
   * How long a verified token is remembered, in seconds (never past its `exp`): a client sends the
   * same token on every call, and checking a signature costs more than the rest of a small request's
   * own work. A key taken out of the JWKS stops tokens it signed after at most this long. 0 disables.
   */
  readonly cacheSeconds?: number;
  /** Verified tokens remembered at most; the oldest is dropped first. */
  readonly cacheEntries?: number;
  /** The clock, in milliseconds (tests move it). */
  readonly now?: () => number;
}

/** {@link TokenVerifierOptions.cacheSeconds} when not given. */
export const DEFAULT_TOKEN_CACHE_SECONDS = 60;
const DEFAULT_TOKEN_CACHE_ENTRIES = 10_000;

/** Why a token was refused, as a short code for the audit trail (never the token itself). */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  constructor(readonly reason: string) {
    super(`Token rejected: ${reason}`);
  }
}

export type TokenVerifier = (token: string) => Promise<VerifiedClaims>;

/** Asymmetric algorithms only: with a JWKS, a shared-secret (HS*) token could be forged from the public key. */
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;

const claimsSchema = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    scope: z.string().max(2000).optional(),
    patient: z.string().refine(isUuid, 'patient must be a patient id').optional(),
    partner: z.string().min(1).max(200).optional(),
    provider: z.string().refine(isUuid, 'provider must be a provider id').optional(),
    purpose: z.enum(PURPOSES).optional(),
  })
  .refine((c) => c.role !== 'patient' || c.patient !== undefined, 'a patient token names its patient')
  .refine((c) => c.role !== 'partner' || c.partner !== undefined, 'a partner token names its partner');

/**
 * Verifies a bearer JWT: signature against the configured keys, `iss`, `aud`, `exp`/`nbf` with a small
 * clock tolerance, and an algorithm allow-list (asymmetric only; never `none`). Then the ChartBridge
 * claims: `sub`, `role`, optional `scope`, `patient`, `partner`, `provider`, `purpose`. A verified token is
 * remembered (see {@link TokenVerifierOptions.cacheSeconds}); a refused one never is.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = options.keys.kind === 'local' ? [DEV_ALGORITHM] : [...options.keys.algorithms];
  const bad = algorithms.filter((a) => !ASYMMETRIC.test(a));
  if (bad.length > 0) throw new RangeError(`Algorithms not allowed for caller tokens: ${bad.join(', ')}`);
  const keySet =
    options.keys.kind === 'local' ? createLocalJWKSet({ keys: [options.keys.publicJwk] }) : createRemoteJWKSet(new URL(options.keys.url));
  const now = options.now ?? Date.now;
  const verify = async (token: string): Promise<{ claims: VerifiedClaims; expiresAtMs: number }> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw new TokenRejectedError(error instanceof joseErrors.JOSEError ? error.code : 'ERR_TOKEN_INVALID');
    }
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) throw new TokenRejectedError('ERR_CLAIMS_INVALID');
    const c = parsed.data;
    // Frozen: a remembered token's claims are shared by every request that sends it.
    return {
      claims: Object.freeze({
        subject: c.sub,
        role: c.role,
        scopes: Object.freeze((c.scope ?? '').split(' ').filter(Boolean)),
        patientId: c.patient?.toLowerCase() ?? null,
        partnerId: c.partner ?? null,
        providerId: c.provider?.toLowerCase() ?? null,
        purpose: c.purpose ?? null,
      }),
      // jwtVerify required `exp` and checked it is a number.
      expiresAtMs: (payload as { exp: number }).exp * 1000,
    };
  };
  const cacheMs = (options.cacheSeconds ?? DEFAULT_TOKEN_CACHE_SECONDS) * 1000;
  if (cacheMs <= 0) return async (token) => (await verify(token)).claims;
  const maxEntries = options.cacheEntries ?? DEFAULT_TOKEN_CACHE_ENTRIES;
  const toleranceMs = (options.clockToleranceSeconds ?? 30) * 1000;
  // Only verified tokens are kept, each until the earlier of its expiry (with the same clock
  // tolerance jwtVerify allows) and `cacheSeconds` after its check. Map order is insertion order.
  const verified = new Map<string, { readonly claims: VerifiedClaims; readonly until: number }>();
  return async (token) => {
    const at = now();
    const hit = verified.get(token);
    if (hit && at < hit.until) return hit.claims;
    if (hit) verified.delete(token);
    const { claims, expiresAtMs } = await verify(token);
    if (verified.size >= maxEntries) {
      for (const [key, entry] of verified) if (entry.until <= at) verified.delete(key);
      const oldest = verified.keys().next();
      if (verified.size >= maxEntries && !oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { claims, until: Math.min(expiresAtMs + toleranceMs, at + cacheMs) });
    return claims;
  };
}

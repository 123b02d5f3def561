import { SignJWT, importJWK } from 'jose';
import type { Purpose, Role } from '@chartbridge/kit';
import { DEV_ALGORITHM, type DevSigningKey } from './dev-signing-key.js';

export interface DevTokenClaims {
  readonly role: Role;
  readonly sub?: string;
  readonly patient?: string;
  readonly partner?: string;
  /** The provider id (a UUID of the PMS's directory) a clinician or nurse is. */
  readonly provider?: string;
  readonly purpose?: Purpose;
  readonly scope?: string;
}

/** Signs a development token with the local key, shaped like an identity provider's. */
export async function issueDevToken(
  key: DevSigningKey,
  claims: DevTokenClaims,
  options: { readonly issuer: string; readonly audience: string; readonly ttlSeconds?: number },
): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(sub ?? `dev-${claims.role}`)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(await importJWK(key.privateJwk, DEV_ALGORITHM));
}

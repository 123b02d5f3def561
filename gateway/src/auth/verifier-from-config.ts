import type { AuthConfig } from '../config.js';
import { loadOrCreateDevSigningKey } from './dev-signing-key.js';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js';

/** The verifier the configuration asks for: the JWKS when one is set, the local development key otherwise. */
export async function verifierFromConfig(auth: AuthConfig): Promise<TokenVerifier> {
  const keys = auth.jwksUrl
    ? { kind: 'jwks' as const, url: auth.jwksUrl, algorithms: auth.algorithms }
    : { kind: 'local' as const, publicJwk: (await loadOrCreateDevSigningKey(auth.devKeyFile)).publicJwk };
  return createTokenVerifier({ issuer: auth.issuer, audience: auth.audience, keys });
}

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The algorithm of the development key: ECDSA P-256, an asymmetric key like a real identity provider's. */
export const DEV_ALGORITHM = 'ES256';

export interface DevSigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** Makes a new development key pair in memory. */
export async function generateDevSigningKey(): Promise<DevSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const kid = `dev-${randomUUID()}`;
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALGORITHM },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALGORITHM, use: 'sig' },
  };
}

/**
 * The local development key: read from `file`, or made and written there (mode 0600) on first use, so
 * `pnpm -s token` and `pnpm start` agree without any setup. Only used when no JWKS URL is configured.
 */
export async function loadOrCreateDevSigningKey(file: string): Promise<DevSigningKey> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DevSigningKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await generateDevSigningKey();
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process made it first: use theirs, so both sign and verify with one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(await readFile(file, 'utf8')) as DevSigningKey;
    throw error;
  }
}

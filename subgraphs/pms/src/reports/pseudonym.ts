import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The shortest pseudonym key accepted: HMAC-SHA256's block of security, 256 bits. */
export const PSEUDONYM_KEY_BYTES = 32;

/** Where the key that makes patients' pseudonymous keys comes from (see config.ts). */
export type PseudonymKeyConfig =
  { readonly kind: 'configured'; readonly key: Uint8Array } | { readonly kind: 'development'; readonly devKeyFile: string };

/** Why a pseudonym key cannot be used; the message never holds the key. */
export class PseudonymKeyError extends Error {
  override readonly name = 'PseudonymKeyError';
}

/** Decodes a key written in base64 (or base64url); at least {@link PSEUDONYM_KEY_BYTES} bytes. */
export function parsePseudonymKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new PseudonymKeyError('is not base64');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < PSEUDONYM_KEY_BYTES) throw new PseudonymKeyError(`must decode to at least ${PSEUDONYM_KEY_BYTES} bytes`);
  return key;
}

/**
 * Patients' stable pseudonymous keys for analysts' drill-down rows: HMAC-SHA256 of the patient id
 * under a secret key, the first 128 bits in hex. The same patient always has the same key (rows of
 * one patient can be grouped across reports and requests); without the secret key the id cannot be
 * recovered, nor tested against a guess (a plain hash of a UUID could be). Computed in Node for the
 * rows of one page, never stored.
 */
export class PatientPseudonyms {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.length < PSEUDONYM_KEY_BYTES) throw new PseudonymKeyError(`A pseudonym key needs at least ${PSEUDONYM_KEY_BYTES} bytes`);
    this.#key = Uint8Array.from(key);
  }

  keyOf(patientId: string): string {
    return createHmac('sha256', this.#key).update(`patient:${patientId.toLowerCase()}`).digest('hex').slice(0, 32);
  }
}

/**
 * The development key in `file`, made (32 random bytes, base64, mode 0600) on first use. Never used
 * in production: config.ts refuses to start there without REPORTS_PSEUDONYM_KEY.
 */
export async function loadOrCreateDevPseudonymKey(file: string): Promise<Uint8Array> {
  try {
    return parsePseudonymKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const text = randomBytes(PSEUDONYM_KEY_BYTES).toString('base64');
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, `${text}\n`, { mode: 0o600, flag: 'wx' });
    return parsePseudonymKey(text);
  } catch (error) {
    // Another process made it first: use theirs, so both give the same keys.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return parsePseudonymKey(await readFile(file, 'utf8'));
    throw error;
  }
}

/** The pseudonyms a configuration names: the configured key, or the development key file. */
export async function openPatientPseudonyms(config: PseudonymKeyConfig): Promise<PatientPseudonyms> {
  return new PatientPseudonyms(config.kind === 'configured' ? config.key : await loadOrCreateDevPseudonymKey(config.devKeyFile));
}

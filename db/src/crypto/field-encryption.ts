import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PhiKeyConfig } from '../config.js';

// Application-level encryption of single PHI fields (a patient's SSN): AES-256-GCM, with the id of
// the key beside every ciphertext so keys can rotate while older values keep opening.

/** The tag of the sealed format; another format would get another tag, and old values keep theirs. */
const FORMAT = 'v1';
/** AES-256 takes 32-byte keys. */
export const FIELD_KEY_BYTES = 32;
// 96 bits is GCM's native IV length (NIST SP 800-38D, 5.2.1.1). Drawn at random, one key may seal
// at most 2^32 values (8.3) before it must be retired: far beyond a practice's patients.
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids appear inside sealed values and in PHI_ENCRYPTION_KEYS: no `.`, `:` or `,`, and short. */
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Standard or URL-safe base64, padded or not (what `openssl rand -base64 32` prints, for one).
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** One data-encryption key and the id stored with everything it seals. */
export interface FieldKey {
  readonly kid: string;
  /** Exactly {@link FIELD_KEY_BYTES} bytes. */
  readonly key: Uint8Array;
}

/** Key material or key configuration that cannot be used. Its message never repeats a key. */
export class FieldKeyError extends Error {
  override readonly name = 'FieldKeyError';
}

export type FieldDecryptionFailure =
  /** Not a sealed value of a known format. */
  | 'malformed'
  /** Sealed under a key id this keyring does not hold. */
  | 'unknown_key'
  /** The tag does not verify: another key under the same id, an altered value, or the wrong associated data. */
  | 'authentication_failed';

/** A sealed value that cannot be opened. Its message never repeats the value: it may be PHI. */
export class FieldDecryptionError extends Error {
  override readonly name = 'FieldDecryptionError';

  constructor(
    readonly reason: FieldDecryptionFailure,
    message: string,
  ) {
    super(message);
  }
}

interface SealedParts {
  readonly kid: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

const encode = (bytes: Buffer): string => bytes.toString('base64url');

/** Decodes unpadded base64url, refusing any text that is not the one encoding of its bytes. */
function decodeCanonical(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return encode(bytes) === text ? bytes : undefined;
}

function parseSealed(sealed: string): SealedParts {
  const malformed = () => new FieldDecryptionError('malformed', `Not a sealed ${FORMAT} value`);
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== FORMAT) throw malformed();
  const [, kid = '', ivText = '', tagText = '', ciphertextText = ''] = parts;
  const iv = decodeCanonical(ivText);
  const tag = decodeCanonical(tagText);
  const ciphertext = decodeCanonical(ciphertextText);
  if (!KID_PATTERN.test(kid) || iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || !ciphertext) throw malformed();
  return { kid, iv, tag, ciphertext };
}

/**
 * The bytes GCM authenticates besides the ciphertext: the format and key id (so the header cannot be
 * swapped) and the caller's associated data (so the value cannot be moved to another row).
 */
function associatedData(kid: string, aad: string): Buffer {
  return Buffer.from(`${FORMAT}.${kid}.${aad}`, 'utf8');
}

/**
 * The key id a sealed value names, read without decrypting it: what a re-encryption job selects on,
 * and what the `*_key_id` column beside a ciphertext holds. Throws {@link FieldDecryptionError}
 * (`malformed`) when the value is not sealed.
 */
export function sealedKeyId(sealed: string): string {
  return parseSealed(sealed).kid;
}

/**
 * The keys that seal and open PHI fields. New values are sealed under the active key; any key of the
 * ring opens what it sealed, so after a rotation (a new active key, the old one kept) existing rows
 * keep opening until they are re-encrypted. Key bytes are held as `KeyObject`s and are never exposed.
 */
export class FieldKeyring {
  /** The id new values are sealed under. */
  readonly activeKid: string;
  readonly #keys: ReadonlyMap<string, KeyObject>;
  readonly #activeKey: KeyObject;

  /** Throws {@link FieldKeyError} unless every id is well-formed and unique, every key 32 bytes, and `activeKid` among them. */
  constructor(keys: readonly FieldKey[], activeKid: string) {
    if (keys.length === 0) throw new FieldKeyError('A field keyring needs at least one key');
    const byKid = new Map<string, KeyObject>();
    keys.forEach(({ kid, key }, index) => {
      // Positions, not ids, in these messages: a malformed id may be a pasted key.
      if (!KID_PATTERN.test(kid)) throw new FieldKeyError(`Key ${index + 1}: its id must be 1-32 letters, digits, "_" or "-"`);
      if (key.length !== FIELD_KEY_BYTES)
        throw new FieldKeyError(`Key ${index + 1} (${kid}) must be ${FIELD_KEY_BYTES} bytes, not ${key.length}`);
      if (byKid.has(kid)) throw new FieldKeyError(`Key ${index + 1}: the id ${kid} is used twice`);
      byKid.set(kid, createSecretKey(Buffer.from(key)));
    });
    const activeKey = byKid.get(activeKid);
    if (!activeKey) throw new FieldKeyError('The active key id names none of the keys');
    this.activeKid = activeKid;
    this.#keys = byKid;
    this.#activeKey = activeKey;
  }

  /** The ids of every key this ring can open with. */
  get kids(): readonly string[] {
    return [...this.#keys.keys()];
  }

  /**
   * Seals `plaintext` under the active key as `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts, a
   * fresh random IV each time, so equal values never seal alike). `aad` is authenticated, not stored:
   * the same text must be given to {@link decrypt}. Pass what identifies the value's place (see
   * {@link patientSsnAad}).
   */
  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#activeKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(this.activeKid, aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.activeKid, encode(iv), encode(cipher.getAuthTag()), encode(ciphertext)].join('.');
  }

  /**
   * Opens a value {@link encrypt} sealed, with the key its id names (active or not). Throws
   * {@link FieldDecryptionError}: `malformed`, `unknown_key`, or `authentication_failed` for a wrong
   * key, an altered value or different associated data. Never returns unauthenticated bytes.
   */
  decrypt(sealed: string, aad: string): string {
    const { kid, iv, tag, ciphertext } = parseSealed(sealed);
    const key = this.#keys.get(kid);
    if (!key) throw new FieldDecryptionError('unknown_key', `No key with id ${kid} in the keyring`);
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(kid, aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptionError('authentication_failed', `The value sealed under key ${kid} does not authenticate`);
    }
  }
}

/** A keyring of one new random key (tests, and the first development keyring). */
export function generateFieldKeyring(kid: string): FieldKeyring {
  return new FieldKeyring([{ kid, key: randomBytes(FIELD_KEY_BYTES) }], kid);
}

/**
 * Parses `PHI_ENCRYPTION_KEYS`: comma-separated `kid:base64key` entries, each key decoding to exactly
 * 32 bytes (standard or URL-safe base64). Blanks around entries are ignored. Throws
 * {@link FieldKeyError} naming the entry by position, never by its text: it holds a secret.
 */
export function parseFieldKeys(text: string): FieldKey[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw new FieldKeyError('No keys given: expected kid:base64key[,kid:base64key...]');
  return entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const kid = separator < 0 ? '' : entry.slice(0, separator);
    const encoded = entry.slice(separator + 1);
    if (!KID_PATTERN.test(kid))
      throw new FieldKeyError(`Entry ${index + 1} is not kid:base64key (a kid is 1-32 letters, digits, "_" or "-")`);
    const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
    if (key?.length !== FIELD_KEY_BYTES) throw new FieldKeyError(`Key ${kid} must be base64 of exactly ${FIELD_KEY_BYTES} bytes`);
    return { kid, key };
  });
}

/** Reads a development keyring file: `{ "keys": "<PHI_ENCRYPTION_KEYS text>", "activeKid": "..." }`. */
function devKeyringFrom(text: string, file: string): FieldKeyring {
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch {
    content = undefined;
  }
  const { keys, activeKid } = (content ?? {}) as { keys?: unknown; activeKid?: unknown };
  if (typeof keys !== 'string' || typeof activeKid !== 'string')
    throw new FieldKeyError(`${file} is not a ChartBridge development keyring`);
  return new FieldKeyring(parseFieldKeys(keys), activeKid);
}

/**
 * The local development keyring: read from `file`, or made and written there (mode 0600, never
 * overwriting) on first use, so `pnpm seed`, `pnpm start` and `pnpm start:pms` agree without setup.
 * Its content is in the PHI_ENCRYPTION_KEYS format, to be copied into the environment if wanted.
 * Only used when no keys are configured outside production (see `loadPhiKeyConfig`).
 */
export async function loadOrCreateDevFieldKeyring(file: string): Promise<FieldKeyring> {
  try {
    return devKeyringFrom(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const kid = `dev-${randomBytes(4).toString('hex')}`;
  const text = JSON.stringify({ keys: `${kid}:${randomBytes(FIELD_KEY_BYTES).toString('base64')}`, activeKid: kid });
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, text, { mode: 0o600, flag: 'wx' });
    return devKeyringFrom(text, file);
  } catch (error) {
    // Another process made it first: use theirs, so both seal and open with one key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return devKeyringFrom(await readFile(file, 'utf8'), file);
    throw error;
  }
}

/** The keyring a configuration names: the configured keys, or the development keyring file. */
export async function openFieldKeyring(config: PhiKeyConfig): Promise<FieldKeyring> {
  return config.kind === 'configured' ? new FieldKeyring(config.keys, config.activeKid) : loadOrCreateDevFieldKeyring(config.devKeyFile);
}

/**
 * The associated data of a patient's SSN: it binds the ciphertext to its column and its row, so a
 * value copied onto another patient's row (or into another sealed column) no longer opens.
 */
export function patientSsnAad(patientId: string): string {
  return `pms.patient.ssn:${patientId}`;
}

// Social Security numbers. SSA never assigns area 000, 666 or 900-999, group 00 or serial 0000
// (SSA, "Social Security Number Randomization FAQs", https://www.ssa.gov/employer/randomizationfaqs.html);
// since randomization (June 2011) nothing else about a number tells whether it was issued.
const SSN_PATTERN = /^(\d{3})-?(\d{2})-?(\d{4})$/;

/**
 * The SSN in `AAA-GG-SSSS` form, or null when `text` is not nine digits (dashes optional, in the
 * usual places) that SSA could have assigned. Surrounding blanks are not trimmed.
 */
export function normalizeSsn(text: string): string | null {
  const match = SSN_PATTERN.exec(text);
  if (!match) return null;
  const [, area = '', group = '', serial = ''] = match;
  if (area === '000' || area === '666' || area.startsWith('9') || group === '00' || serial === '0000') return null;
  return `${area}-${group}-${serial}`;
}

/** True when {@link normalizeSsn} accepts `text`. */
export function isValidSsn(text: string): boolean {
  return normalizeSsn(text) !== null;
}

/** `***-**-6789`: the last four digits only. Throws RangeError (without the value) when `ssn` is not valid. */
export function maskSsn(ssn: string): string {
  const normalized = normalizeSsn(ssn);
  if (normalized === null) throw new RangeError('Not a valid SSN');
  return `***-**-${normalized.slice(-4)}`;
}

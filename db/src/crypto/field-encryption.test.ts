import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parsePhiKeyConfig } from '../config.js';
import {
  FieldDecryptionError,
  FieldKeyError,
  FieldKeyring,
  generateFieldKeyring,
  isValidSsn,
  loadOrCreateDevFieldKeyring,
  maskSsn,
  normalizeSsn,
  openFieldKeyring,
  parseFieldKeys,
  patientSsnAad,
  sealedKeyId,
} from './field-encryption.js';

const PATIENT = patientSsnAad('0b0e9f5e-3c1a-4d8e-9a43-2f6a1c7d5b10');
const OTHER_PATIENT = patientSsnAad('7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e');
const k1 = { kid: 'k1', key: randomBytes(32) };
const k2 = { kid: 'k2', key: randomBytes(32) };

/** What opening `sealed` throws, as its reason; fails the test when it opens. */
function failureOf(open: () => string): string {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(FieldDecryptionError);
    return (error as FieldDecryptionError).reason;
  }
  throw new Error('the value opened');
}

/** Replaces the dot-separated part `index` of a sealed value. */
function withPart(sealed: string, index: number, replace: (part: string) => string): string {
  return sealed
    .split('.')
    .map((part, i) => (i === index ? replace(part) : part))
    .join('.');
}

/** Flips one bit of a base64url part (the first character, which always carries whole bits). */
const flipFirst = (part: string) => `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;

describe('FieldKeyring', () => {
  const ring = new FieldKeyring([k1], 'k1');

  test('opens what it sealed, with the same associated data', () => {
    expect(ring.decrypt(ring.encrypt('123-45-6789', PATIENT), PATIENT)).toBe('123-45-6789');
    expect(ring.decrypt(ring.encrypt('', PATIENT), PATIENT)).toBe('');
    expect(ring.decrypt(ring.encrypt('naïve ✓', PATIENT), PATIENT)).toBe('naïve ✓');
  });

  test('seals as v1.<kid>.<12-byte iv>.<16-byte tag>.<ciphertext>, in base64url, without the plaintext', () => {
    const sealed = ring.encrypt('123-45-6789', PATIENT);
    const [format, kid, iv = '', tag = '', ciphertext = '', ...rest] = sealed.split('.');
    expect([format, kid, rest]).toEqual(['v1', 'k1', []]);
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength('123-45-6789'.length);
    expect(sealed).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(sealed).not.toContain('6789');
    expect(sealedKeyId(sealed)).toBe('k1');
  });

  test('seals the same value differently each time (a fresh IV)', () => {
    expect(ring.encrypt('123-45-6789', PATIENT)).not.toBe(ring.encrypt('123-45-6789', PATIENT));
  });

  test('keeps opening values of a retired key after rotation, and seals new ones under the new key', () => {
    const before = new FieldKeyring([k1], 'k1').encrypt('123-45-6789', PATIENT);
    const rotated = new FieldKeyring([k1, k2], 'k2');
    expect(rotated.decrypt(before, PATIENT)).toBe('123-45-6789');
    const after = rotated.encrypt('123-45-6789', PATIENT);
    expect(sealedKeyId(after)).toBe('k2');
    expect(rotated.kids).toEqual(['k1', 'k2']);
    // A ring that dropped k1 can no longer open what k1 sealed, but opens what k2 did.
    const k2Only = new FieldKeyring([k2], 'k2');
    expect(failureOf(() => k2Only.decrypt(before, PATIENT))).toBe('unknown_key');
    expect(k2Only.decrypt(after, PATIENT)).toBe('123-45-6789');
  });

  test.each([
    ['the associated data of another patient', (sealed: string) => ring.decrypt(sealed, OTHER_PATIENT), 'authentication_failed'],
    [
      'another key under the same id',
      (sealed: string) => new FieldKeyring([{ kid: 'k1', key: randomBytes(32) }], 'k1').decrypt(sealed, PATIENT),
      'authentication_failed',
    ],
    ['an altered ciphertext', (sealed: string) => ring.decrypt(withPart(sealed, 4, flipFirst), PATIENT), 'authentication_failed'],
    ['an altered tag', (sealed: string) => ring.decrypt(withPart(sealed, 3, flipFirst), PATIENT), 'authentication_failed'],
    ['an altered IV', (sealed: string) => ring.decrypt(withPart(sealed, 2, flipFirst), PATIENT), 'authentication_failed'],
    [
      'a key id it does not hold',
      (sealed: string) =>
        ring.decrypt(
          withPart(sealed, 1, () => 'k9'),
          PATIENT,
        ),
      'unknown_key',
    ],
    [
      'a key id swapped to another key it holds',
      (sealed: string) =>
        new FieldKeyring([k1, { kid: 'k9', key: k1.key }], 'k1').decrypt(
          withPart(sealed, 1, () => 'k9'),
          PATIENT,
        ),
      'authentication_failed',
    ],
    [
      'another format',
      (sealed: string) =>
        ring.decrypt(
          withPart(sealed, 0, () => 'v2'),
          PATIENT,
        ),
      'malformed',
    ],
    ['a truncated value', (sealed: string) => ring.decrypt(sealed.split('.').slice(0, 4).join('.'), PATIENT), 'malformed'],
    [
      'a non-canonical base64url part',
      (sealed: string) =>
        ring.decrypt(
          withPart(sealed, 4, (p) => `${p}=`),
          PATIENT,
        ),
      'malformed',
    ],
    [
      'a short IV',
      (sealed: string) =>
        ring.decrypt(
          withPart(sealed, 2, (p) => p.slice(0, 12)),
          PATIENT,
        ),
      'malformed',
    ],
    ['an SSN stored in clear', () => ring.decrypt('123-45-6789', PATIENT), 'malformed'],
  ] as const)('refuses %s', (_case, open, reason) => {
    const sealed = ring.encrypt('123-45-6789', PATIENT);
    expect(failureOf(() => open(sealed))).toBe(reason);
  });

  test('never puts the value or the key in an error message', () => {
    const sealed = ring.encrypt('123-45-6789', PATIENT);
    for (const open of [() => ring.decrypt(sealed, OTHER_PATIENT), () => ring.decrypt('123-45-6789', PATIENT)]) {
      try {
        open();
      } catch (error) {
        expect(String(error)).not.toMatch(/6789|123456789/);
        expect(String(error)).not.toContain(k1.key.toString('base64'));
      }
    }
  });

  test.each([
    ['no key', [], 'k1'],
    ['a key of 16 bytes', [{ kid: 'k1', key: randomBytes(16) }], 'k1'],
    ['an id with a dot', [{ kid: 'k.1', key: randomBytes(32) }], 'k.1'],
    ['an id used twice', [k1, { kid: 'k1', key: randomBytes(32) }], 'k1'],
    ['an active id that names no key', [k1], 'k2'],
  ] as const)('refuses to build with %s', (_case, keys, active) => {
    expect(() => new FieldKeyring(keys, active)).toThrow(FieldKeyError);
  });
});

describe('parseFieldKeys (PHI_ENCRYPTION_KEYS)', () => {
  test('reads comma-separated kid:base64key entries, standard or URL-safe base64', () => {
    const text = ` k1:${k1.key.toString('base64')} , k2:${k2.key.toString('base64url')}`;
    const keys = parseFieldKeys(text);
    expect(keys.map((k) => k.kid)).toEqual(['k1', 'k2']);
    expect(Buffer.from(keys[0]!.key).equals(k1.key)).toBe(true);
    expect(Buffer.from(keys[1]!.key).equals(k2.key)).toBe(true);
  });

  test.each([
    ['nothing', ''],
    ['an entry without a kid', randomBytes(32).toString('base64')],
    ['a key of 31 bytes', `k1:${randomBytes(31).toString('base64')}`],
    ['a key of 33 bytes', `k1:${randomBytes(33).toString('base64')}`],
    ['a key that is not base64', `k1:${'!'.repeat(44)}`],
    ['a trailing comma', `k1:${k1.key.toString('base64')},`],
  ])('refuses %s, without repeating the secret', (_case, text) => {
    expect(() => parseFieldKeys(text)).toThrow(FieldKeyError);
    try {
      parseFieldKeys(text);
    } catch (error) {
      const secret = text.split(':').at(-1) ?? '';
      if (secret.length > 8) expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('PHI key configuration', () => {
  const keysText = `k1:${k1.key.toString('base64')},k2:${k2.key.toString('base64')}`;

  test('uses the configured keys, with the active one for new values', async () => {
    const result = parsePhiKeyConfig({ NODE_ENV: 'production', PHI_ENCRYPTION_KEYS: keysText, PHI_ENCRYPTION_ACTIVE_KEY: 'k2' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ring = await openFieldKeyring(result.config);
    expect([ring.activeKid, ring.kids]).toEqual(['k2', ['k1', 'k2']]);
    expect(ring.decrypt(new FieldKeyring([k1], 'k1').encrypt('123-45-6789', PATIENT), PATIENT)).toBe('123-45-6789');
  });

  test.each(['development', 'test', undefined])(
    'falls back to the development keyring file when no keys are set (blank is unset) and NODE_ENV is %s',
    (nodeEnv) => {
      const env = { ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}), PHI_DEV_KEY_FILE: '/tmp/phi.json', PHI_ENCRYPTION_KEYS: '  ' };
      expect(parsePhiKeyConfig(env)).toEqual({ ok: true, config: { kind: 'development', devKeyFile: '/tmp/phi.json' } });
    },
  );

  test.each([
    ['no keys in production', { NODE_ENV: 'production' }, /PHI_ENCRYPTION_KEYS: .*required when NODE_ENV=production/],
    ['keys without an active id', { PHI_ENCRYPTION_KEYS: keysText }, /^PHI_ENCRYPTION_ACTIVE_KEY: is required/],
    ['an active id without keys', { PHI_ENCRYPTION_ACTIVE_KEY: 'k1' }, /^PHI_ENCRYPTION_KEYS: is required/],
    [
      'an active id that names no key',
      { PHI_ENCRYPTION_KEYS: keysText, PHI_ENCRYPTION_ACTIVE_KEY: 'k3' },
      /^PHI_ENCRYPTION_ACTIVE_KEY: names none/,
    ],
    [
      'a short key',
      { PHI_ENCRYPTION_KEYS: `k1:${randomBytes(16).toString('base64')}`, PHI_ENCRYPTION_ACTIVE_KEY: 'k1' },
      /^PHI_ENCRYPTION_KEYS: Key k1 must be base64 of exactly 32 bytes/,
    ],
    [
      'an id listed twice',
      { PHI_ENCRYPTION_KEYS: `${keysText},k1:${randomBytes(32).toString('base64')}`, PHI_ENCRYPTION_ACTIVE_KEY: 'k1' },
      /^PHI_ENCRYPTION_KEYS: a key id is listed twice/,
    ],
  ])('is a configuration error with %s', (_case, env, problem) => {
    const result = parsePhiKeyConfig(env);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual(expect.stringMatching(problem));
  });
});

describe('the development keyring', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chartbridge-phi-keys-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('is made once, readable by its owner only, and the same on every later load', async () => {
    const file = join(dir, 'nested', 'phi-keys.json');
    const first = await loadOrCreateDevFieldKeyring(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.activeKid).toMatch(/^dev-[0-9a-f]{8}$/);
    const sealed = first.encrypt('123-45-6789', PATIENT);
    const again = await loadOrCreateDevFieldKeyring(file);
    expect(again.decrypt(sealed, PATIENT)).toBe('123-45-6789');
    // Its content is what PHI_ENCRYPTION_KEYS and PHI_ENCRYPTION_ACTIVE_KEY would hold.
    const content = JSON.parse(await readFile(file, 'utf8')) as { keys: string; activeKid: string };
    expect(parsePhiKeyConfig({ PHI_ENCRYPTION_KEYS: content.keys, PHI_ENCRYPTION_ACTIVE_KEY: content.activeKid }).ok).toBe(true);
  });

  test('is one keyring when several processes make it at once', async () => {
    const file = join(dir, 'raced.json');
    const rings = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateDevFieldKeyring(file)));
    const sealed = rings[0]!.encrypt('123-45-6789', PATIENT);
    expect(rings.map((ring) => ring.decrypt(sealed, PATIENT))).toEqual(Array(4).fill('123-45-6789'));
  });

  test('refuses a file that is not a keyring instead of replacing it', async () => {
    const file = join(dir, 'other.json');
    await writeFile(file, '{"hello":"world"}');
    await expect(loadOrCreateDevFieldKeyring(file)).rejects.toThrow(FieldKeyError);
    expect(await readFile(file, 'utf8')).toBe('{"hello":"world"}');
  });
});

describe('generateFieldKeyring', () => {
  test('makes a new random key each time', () => {
    const sealed = generateFieldKeyring('t').encrypt('123-45-6789', PATIENT);
    expect(failureOf(() => generateFieldKeyring('t').decrypt(sealed, PATIENT))).toBe('authentication_failed');
  });
});

describe('SSNs', () => {
  test.each([
    ['123-45-6789', '123-45-6789'],
    ['123456789', '123-45-6789'],
    ['001-01-0001', '001-01-0001'],
    ['899-99-9999', '899-99-9999'],
    ['665-12-3456', '665-12-3456'],
    ['667-12-3456', '667-12-3456'],
  ])('accepts %s as %s', (text, normalized) => {
    expect(normalizeSsn(text)).toBe(normalized);
    expect(isValidSsn(text)).toBe(true);
  });

  // SSA never assigns these (ssa.gov/employer/randomizationfaqs.html), and the format is nine digits.
  test.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 900', '900-12-3456'],
    ['area 999', '999-12-3456'],
    ['group 00', '123-00-4567'],
    ['serial 0000', '123-45-0000'],
    ['eight digits', '123-45-678'],
    ['ten digits', '123-45-67890'],
    ['dashes in the wrong places', '1234-5-6789'],
    ['letters', 'abc-de-fghi'],
    ['surrounding blanks', ' 123-45-6789'],
    ['non-ASCII digits', '١٢٣-٤٥-٦٧٨٩'],
  ])('rejects %s (%s)', (_case, text) => {
    expect(normalizeSsn(text)).toBeNull();
    expect(isValidSsn(text)).toBe(false);
  });

  test.each([
    ['123-45-6789', '***-**-6789'],
    ['123456789', '***-**-6789'],
  ])('masks %s as %s', (ssn, masked) => {
    expect(maskSsn(ssn)).toBe(masked);
  });

  test('refuses to mask what is not an SSN, without repeating it', () => {
    expect(() => maskSsn('000-12-3456')).toThrow(new RangeError('Not a valid SSN'));
  });
});

import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PatientPseudonyms, PseudonymKeyError, loadOrCreateDevPseudonymKey, parsePseudonymKey } from './pseudonym.js';

const PATIENT = '3f1c6a2e-8d4b-4c1a-9e2f-0a1b2c3d4e5f';

describe('PatientPseudonyms', () => {
  const key = Buffer.alloc(32, 1);

  test("gives the same patient the same key, whatever the id's case", () => {
    const pseudonyms = new PatientPseudonyms(key);
    expect(pseudonyms.keyOf(PATIENT)).toBe(new PatientPseudonyms(Buffer.from(key)).keyOf(PATIENT.toUpperCase()));
    expect(pseudonyms.keyOf(PATIENT)).toMatch(/^[0-9a-f]{32}$/);
  });

  test('gives other patients, and the same patient under another key, other keys', () => {
    const pseudonyms = new PatientPseudonyms(key);
    expect(pseudonyms.keyOf(PATIENT)).not.toBe(pseudonyms.keyOf('3f1c6a2e-8d4b-4c1a-9e2f-0a1b2c3d4e50'));
    expect(new PatientPseudonyms(Buffer.alloc(32, 2)).keyOf(PATIENT)).not.toBe(pseudonyms.keyOf(PATIENT));
  });

  test('holds no trace of the id', () => {
    expect(new PatientPseudonyms(key).keyOf(PATIENT)).not.toContain(PATIENT.slice(0, 8));
  });

  test('refuses a short key', () => {
    expect(() => new PatientPseudonyms(Buffer.alloc(16))).toThrow(PseudonymKeyError);
  });
});

describe('parsePseudonymKey', () => {
  test('reads base64 and base64url', () => {
    const bytes = Buffer.alloc(32, 0xfb);
    expect(Buffer.from(parsePseudonymKey(bytes.toString('base64'))).equals(bytes)).toBe(true);
    expect(Buffer.from(parsePseudonymKey(bytes.toString('base64url'))).equals(bytes)).toBe(true);
  });

  test.each([
    ['too short', Buffer.alloc(16).toString('base64')],
    ['not base64', 'this is not a key!'],
  ])('refuses a key that is %s, without quoting it', (_case, text) => {
    expect(() => parsePseudonymKey(text)).toThrow(PseudonymKeyError);
    try {
      parsePseudonymKey(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(text);
    }
  });
});

test('the development key is made once, kept private, and read back', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'pseudonym-')), 'keys', 'reports-pseudonym.key');
  const first = await loadOrCreateDevPseudonymKey(file);
  expect(Buffer.from(await loadOrCreateDevPseudonymKey(file)).equals(Buffer.from(first))).toBe(true);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect(parsePseudonymKey(await readFile(file, 'utf8')).length).toBe(32);
});

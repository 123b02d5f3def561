import { describe, expect, test } from 'vitest';
import { isValidNpi, npiCheckDigit } from './npi.js';

describe('NPI check digit', () => {
  // 1234567893 is the worked example of the CMS NPI check-digit document.
  test('computes the check digit of the CMS worked example', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
  });

  test.each(['1234567890', '123456789', '12345678931', 'ABCDEFGHIJ', ''])('rejects %j', (npi) => {
    expect(isValidNpi(npi)).toBe(false);
  });
});

import { describe, expect, test } from 'vitest';
import { hasLoincFormat, isValidLoinc, loincCheckDigit } from './loinc.js';

describe('the LOINC Mod 10 check digit', () => {
  test("computes the Users' Guide worked example: 12345 gives 5", () => {
    expect(loincCheckDigit('12345')).toBe(5);
  });

  // Common laboratory codes, as published by LOINC.
  test.each(['2345-7', '2160-0', '718-7', '4548-4', '2093-3', '6690-2', '777-3', '2823-3', '1558-6', '29771-3', '77353-1'])(
    'accepts %s',
    (code) => {
      expect(isValidLoinc(code)).toBe(true);
    },
  );

  test.each([
    ['a wrong check digit', '2345-8'],
    ['no check digit', '2345'],
    ['eight digits', '12345678-5'],
    ['letters', 'ABCD-1'],
    ['a deprecated code with a known-bad check digit', '11491-6'],
    ['spaces', ' 2345-7'],
    ['nothing', ''],
  ])('refuses %s (%j)', (_case, code) => {
    expect(isValidLoinc(code)).toBe(false);
  });

  test('tells a malformed code from a wrong check digit', () => {
    expect(hasLoincFormat('2345-8')).toBe(true);
    expect(hasLoincFormat('2345')).toBe(false);
  });
});

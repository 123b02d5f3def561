import { describe, expect, test } from 'vitest';
import { isCpt, isHcpcs, isIcd10Cm, isModifier, normalizeIcd10Cm, procedureCodeSystem } from './code-formats.js';

describe('clinical code formats', () => {
  test.each(['E11.9', 'I10', 'J06.9', 'S72.001A', 'Z00.00', 'U07.1'])('%s is an ICD-10-CM code', (code) =>
    expect(isIcd10Cm(code)).toBe(true),
  );
  test.each(['e11.9', '11.9', 'E1', 'E11.12345', 'E11.', 'E119 '])('%j is not an ICD-10-CM code', (code) =>
    expect(isIcd10Cm(code)).toBe(false),
  );
  test.each(['99213', '0001F', '0042T', '0001U'])('%s is a CPT code', (code) => expect(isCpt(code)).toBe(true));
  test.each(['9921', '992133', '0001X', 'A0428'])('%s is not a CPT code', (code) => expect(isCpt(code)).toBe(false));
  test.each(['G0438', 'J1100', 'A0428'])('%s is a HCPCS Level II code', (code) => expect(isHcpcs(code)).toBe(true));
  test.each(['W1234', 'G043', '99213'])('%s is not a HCPCS Level II code', (code) => expect(isHcpcs(code)).toBe(false));
  test.each([
    ['25', true],
    ['LT', true],
    ['5', false],
    ['ABC', false],
    ['lt', false],
  ] as const)('modifier %s: %s', (code, ok) => expect(isModifier(code)).toBe(ok));

  test('tells CPT from HCPCS by shape', () => {
    expect(procedureCodeSystem('99213')).toBe('cpt');
    expect(procedureCodeSystem('G0438')).toBe('hcpcs');
    expect(procedureCodeSystem('E11.9')).toBeUndefined();
  });

  test('normalizes ICD-10-CM as people type it', () => {
    expect(normalizeIcd10Cm(' e119 ')).toBe('E11.9');
    expect(normalizeIcd10Cm('i10')).toBe('I10');
    expect(normalizeIcd10Cm('S72.001a')).toBe('S72.001A');
  });
});

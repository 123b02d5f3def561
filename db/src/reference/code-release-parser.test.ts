import { describe, expect, test } from 'vitest';
import { ReleaseFormatError, detectFormat, parseRelease } from './code-release-parser.js';

// Lines shaped like CMS's release files (content abbreviated).
const ICD_CODES = [
  'A000    Cholera due to Vibrio cholerae 01, biovar cholerae',
  'E119    Type 2 diabetes mellitus without complications',
  'I10     Essential (primary) hypertension',
];
const pad = (text: string, width: number) => text.padEnd(width, ' ');
const ICD_ORDER = [
  `00001 ${pad('A00', 7)} 0 ${pad('Cholera', 60)} Cholera`,
  `00002 ${pad('A000', 7)} 1 ${pad('Cholera due to Vibrio cholerae 01, biovar cholerae', 60)} Cholera due to Vibrio cholerae 01, biovar cholerae`,
];
const anweb = (code: string, seq: string, record: string, long: string) => `${code}${seq}${record}${pad(long, 80)}${pad('SHORT', 28)}`;
const HCPCS_ANWEB = [
  anweb('G0438', '00100', '3', 'Annual wellness visit; includes a personalized prevention plan of service'),
  anweb('G0438', '00200', '4', '(pps), initial visit'),
  anweb('J1100', '00100', '3', 'Injection, dexamethasone sodium phosphate, 1 mg'),
  anweb('25   ', '00100', '7', 'Significant, separately identifiable evaluation and management service'),
];

describe('CMS release files', () => {
  test('reads the ICD-10-CM codes file, putting the dot back', () => {
    expect(detectFormat('icd10cm', ICD_CODES)).toBe('icd10cm-codes');
    expect(parseRelease('icd10cm', 'icd10cm-codes', ICD_CODES)).toEqual([
      { code: 'A00.0', description: 'Cholera due to Vibrio cholerae 01, biovar cholerae' },
      { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' },
      { code: 'I10', description: 'Essential (primary) hypertension' },
    ]);
  });

  test('reads the ICD-10-CM order file, keeping only billable codes', () => {
    expect(detectFormat('icd10cm', ICD_ORDER)).toBe('icd10cm-order');
    expect(parseRelease('icd10cm', 'icd10cm-order', ICD_ORDER)).toEqual([
      { code: 'A00.0', description: 'Cholera due to Vibrio cholerae 01, biovar cholerae' },
    ]);
  });

  test('reads the HCPCS annual file, joining continuation lines and skipping modifiers', () => {
    expect(detectFormat('hcpcs', HCPCS_ANWEB)).toBe('hcpcs-anweb');
    expect(parseRelease('hcpcs', 'hcpcs-anweb', HCPCS_ANWEB)).toEqual([
      { code: 'G0438', description: 'Annual wellness visit; includes a personalized prevention plan of service (pps), initial visit' },
      { code: 'J1100', description: 'Injection, dexamethasone sodium phosphate, 1 mg' },
    ]);
  });

  test('reads code<TAB>description for anything else', () => {
    expect(parseRelease('icd10cm', 'tsv', ['e11.9\tType 2 diabetes mellitus without complications'])).toEqual([
      { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' },
    ]);
  });

  test('names the first line it cannot read', () => {
    expect(() => parseRelease('icd10cm', 'icd10cm-codes', ['I10     ok', '??'])).toThrow(
      new ReleaseFormatError('line 2: expected a code and its description'),
    );
    expect(() => detectFormat('hcpcs', ['not a hcpcs file'])).toThrow(ReleaseFormatError);
  });
});

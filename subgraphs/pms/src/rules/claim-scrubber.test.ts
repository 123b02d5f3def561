import { describe, expect, test } from 'vitest';
import {
  DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
  SCRUB_RULES,
  documentationOf,
  hasErrors,
  scrubClaim,
  type ScrubInput,
  type ScrubLine,
} from './claim-scrubber.js';

const PROVIDER = '11111111-1111-4111-8111-111111111111';
const PROCEDURE = '22222222-2222-4222-8222-222222222222';
const line: ScrubLine = {
  lineNumber: 1,
  procedureId: PROCEDURE,
  procedureCode: '99213',
  codeSystem: 'cpt',
  modifiers: ['25'],
  units: 1,
  chargeCents: 12_000,
  serviceDate: '2026-11-02',
  renderingProviderId: PROVIDER,
  pointers: [1],
};
const clean: ScrubInput = {
  claim: { id: 'c', status: 'draft' },
  lines: [line],
  diagnoses: [{ position: 1, code: 'I10' }],
  coverages: [{ effectiveFrom: '2026-01-01', effectiveTo: null }],
  providerNpis: new Map([[PROVIDER, '1234567893']]),
  documentation: {
    serviceDate: '2026-11-02',
    signedAt: '2026-11-02T15:00:00Z',
    diagnosisCodes: ['I10'],
    procedures: [{ id: PROCEDURE, code: '99213' }],
  },
  highDollarThresholdCents: DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS,
};
const withLine = (changes: Partial<ScrubLine>): ScrubInput => ({ ...clean, lines: [{ ...line, ...changes }] });
const ruleIds = (input: ScrubInput) => [...new Set(scrubClaim(input).map((f) => f.rule))];

describe('claim scrubber', () => {
  test('a clean claim has no findings', () => {
    expect(scrubClaim(clean)).toEqual([]);
    expect(hasErrors(scrubClaim(clean))).toBe(false);
  });

  test('every rule has a unique id', () => {
    expect(new Set(SCRUB_RULES.map((r) => r.id)).size).toBe(SCRUB_RULES.length);
  });

  test.each<[string, ScrubInput, string[], number | null]>([
    ['a malformed CPT code', withLine({ procedureCode: '9921' }), ['PROCEDURE_CODE_FORMAT', 'CODES_DOCUMENTED'], 1],
    ['a HCPCS code under the CPT system', withLine({ procedureCode: 'J1100' }), ['PROCEDURE_CODE_FORMAT', 'CODES_DOCUMENTED'], 1],
    [
      'a malformed HCPCS code',
      {
        ...withLine({ codeSystem: 'hcpcs', procedureCode: 'Z1234' }),
        documentation: { ...clean.documentation!, procedures: [{ id: PROCEDURE, code: 'Z1234' }] },
      },
      ['PROCEDURE_CODE_FORMAT'],
      1,
    ],
    [
      'a malformed diagnosis',
      { ...clean, diagnoses: [{ position: 1, code: 'I1' }], documentation: { ...clean.documentation!, diagnosisCodes: ['I1'] } },
      ['DIAGNOSIS_CODE_FORMAT'],
      null,
    ],
    ['a malformed modifier', withLine({ modifiers: ['2'] }), ['MODIFIER_FORMAT'], 1],
    [
      'a rendering NPI failing its check digit',
      { ...clean, providerNpis: new Map([[PROVIDER, '1234567890']]) },
      ['RENDERING_PROVIDER_NPI'],
      1,
    ],
    ['an unknown rendering provider', { ...clean, providerNpis: new Map() }, ['RENDERING_PROVIDER_NPI'], 1],
    ['no coverage', { ...clean, coverages: [] }, ['COVERAGE_ACTIVE'], null],
    [
      'a coverage ended before the date of service',
      { ...clean, coverages: [{ effectiveFrom: '2025-01-01', effectiveTo: '2026-11-01' }] },
      ['COVERAGE_ACTIVE'],
      null,
    ],
    [
      'a coverage starting after the date of service',
      { ...clean, coverages: [{ effectiveFrom: '2026-11-03', effectiveTo: null }] },
      ['COVERAGE_ACTIVE'],
      null,
    ],
    ['no pointers', withLine({ pointers: [] }), ['DIAGNOSIS_POINTERS'], 1],
    ['five pointers', withLine({ pointers: [1, 1, 1, 1, 1] }), ['DIAGNOSIS_POINTERS'], 1],
    ['a pointer outside the diagnosis list', withLine({ pointers: [1, 2] }), ['DIAGNOSIS_POINTERS'], 1],
    ['zero units', withLine({ units: 0 }), ['UNITS_POSITIVE'], 1],
    ['no charge', withLine({ chargeCents: 0 }), ['CHARGE_POSITIVE'], 1],
    ['unsigned documentation', { ...clean, documentation: { ...clean.documentation!, signedAt: null } }, ['DOCUMENTATION_SIGNED'], null],
    [
      'no documentation',
      { ...clean, documentation: null },
      ['DOCUMENTATION_SIGNED', 'SERVICE_DATE_MATCHES_DOCUMENTATION', 'CODES_DOCUMENTED'],
      null,
    ],
    ['a service date other than the documented one', withLine({ serviceDate: '2026-11-03' }), ['SERVICE_DATE_MATCHES_DOCUMENTATION'], 1],
    [
      'a high-dollar line whose procedure is not documented',
      { ...withLine({ chargeCents: 100_000 }), documentation: { ...clean.documentation!, procedures: [{ id: 'other', code: '99213' }] } },
      ['HIGH_DOLLAR_DOCUMENTATION'],
      1,
    ],
    [
      'a high-dollar line on unsigned documentation',
      { ...withLine({ chargeCents: 250_000 }), documentation: { ...clean.documentation!, signedAt: null } },
      ['DOCUMENTATION_SIGNED', 'HIGH_DOLLAR_DOCUMENTATION'],
      null,
    ],
    [
      'a procedure code not documented',
      { ...clean, documentation: { ...clean.documentation!, procedures: [{ id: PROCEDURE, code: '99214' }] } },
      ['CODES_DOCUMENTED'],
      1,
    ],
    [
      'a diagnosis not documented',
      { ...clean, documentation: { ...clean.documentation!, diagnosisCodes: ['E11.9'] } },
      ['CODES_DOCUMENTED'],
      null,
    ],
  ])('%s', (_name, input, rules, lineNumber) => {
    expect(ruleIds(input)).toEqual(rules);
    const findings = scrubClaim(input);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
    expect(findings[0]!.lineNumber).toBe(lineNumber);
    expect(hasErrors(findings)).toBe(true);
  });

  test.each([
    ['below the threshold', 99_999, []],
    ['at the threshold, documented', 100_000, []],
    ['at a lower configured threshold, undocumented', 5_000, ['HIGH_DOLLAR_DOCUMENTATION']],
  ] as const)('high-dollar threshold: %s', (_name, threshold, rules) => {
    const input: ScrubInput = {
      ...withLine({ chargeCents: threshold === 5_000 ? 12_000 : threshold }),
      highDollarThresholdCents: threshold,
      documentation: threshold === 5_000 ? { ...clean.documentation!, procedures: [{ id: 'other', code: '99213' }] } : clean.documentation,
    };
    expect(ruleIds(input)).toEqual(rules);
  });

  test.each([
    [
      'a snapshot as stored',
      {
        eventId: 'e',
        facts: { serviceDate: '2026-11-02', signedAt: 'x', diagnoses: [{ code: 'I10' }], procedures: [{ id: 'p', code: '99213' }] },
      },
      { serviceDate: '2026-11-02', signedAt: 'x', diagnosisCodes: ['I10'], procedures: [{ id: 'p', code: '99213' }] },
    ],
    [
      'a JSON string',
      JSON.stringify({ facts: { serviceDate: '2026-11-02' } }),
      { serviceDate: '2026-11-02', signedAt: null, diagnosisCodes: [], procedures: [] },
    ],
    ['no facts', {}, null],
    ['garbage', 'not json', null],
  ])('documentationOf: %s', (_name, snapshot, expected) => {
    expect(documentationOf(snapshot)).toEqual(expected);
  });
});

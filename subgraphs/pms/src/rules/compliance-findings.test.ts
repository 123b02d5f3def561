import { describe, expect, test } from 'vitest';
import { DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS } from './claim-scrubber.js';
import {
  COMPLIANCE_RULES,
  DEFAULT_LATE_SIGNATURE_DAYS,
  complianceFindings,
  daysBetween,
  documentationFromRepresentation,
  localDate,
  type ComplianceClaim,
  type ComplianceLine,
  type CurrentDocumentation,
} from './compliance-findings.js';

const PROCEDURE = '22222222-2222-4222-8222-222222222222';
const OTHER_PROCEDURE = '33333333-3333-4333-8333-333333333333';
const line: ComplianceLine = {
  lineNumber: 1,
  procedureId: PROCEDURE,
  procedureCode: '99213',
  units: 1,
  chargeCents: 12_000,
  serviceDate: '2026-11-02',
  pointers: [1],
};
const claim: ComplianceClaim = {
  id: 'claim-1',
  status: 'submitted',
  submittedAt: new Date('2026-11-04T15:00:00Z'),
  lines: [line],
  diagnoses: [{ position: 1, code: 'I10' }],
};
const documentation: CurrentDocumentation = {
  noteCount: 1,
  signedNoteCount: 1,
  lastSignedAt: new Date('2026-11-02T20:00:00Z'),
  serviceDate: '2026-11-02',
  addenda: [],
  diagnosisCodes: ['I10'],
  procedures: [{ id: PROCEDURE, code: '99213', units: 1, diagnosisCodes: ['I10'] }],
};

const withLine = (changes: Partial<ComplianceLine>): ComplianceClaim => ({ ...claim, lines: [{ ...line, ...changes }] });
const withDocs = (changes: Partial<CurrentDocumentation>): CurrentDocumentation => ({ ...documentation, ...changes });
const findingsOf = (c: ComplianceClaim = claim, d: CurrentDocumentation = documentation) =>
  complianceFindings([c], d, { timeZone: 'America/New_York' });
const summary = (c: ComplianceClaim = claim, d: CurrentDocumentation = documentation) =>
  findingsOf(c, d).map((f) => [f.rule, f.severity, f.lineNumber] as const);

describe('compliance findings', () => {
  test('a claim that matches signed, timely documentation has no findings', () => {
    expect(findingsOf()).toEqual([]);
  });

  test('every rule has a unique id', () => {
    expect(new Set(COMPLIANCE_RULES.map((r) => r.id)).size).toBe(COMPLIANCE_RULES.length);
  });

  test('an encounter with no live claim has no findings, whatever its documentation says', () => {
    expect(complianceFindings([], withDocs({ signedNoteCount: 0 }))).toEqual([]);
    expect(complianceFindings([{ ...claim, status: 'void' }], withDocs({ signedNoteCount: 0, procedures: [] }))).toEqual([]);
  });

  test.each<[string, ComplianceClaim, CurrentDocumentation, Array<readonly [string, string, number | null]>]>([
    ['a line dated other than the documentation', withLine({ serviceDate: '2026-11-03' }), documentation, [['DATE_MISMATCH', 'error', 1]]],
    [
      'documentation signed on the fourth day after the visit',
      { ...claim, status: 'ready', submittedAt: null },
      withDocs({ lastSignedAt: new Date('2026-11-06T15:00:00Z') }),
      [['LATE_SIGNATURE', 'warning', null]],
    ],
    [
      'a note signed after submission',
      claim,
      withDocs({ lastSignedAt: new Date('2026-11-04T16:00:00Z') }),
      [['DOCUMENTED_AFTER_SUBMISSION', 'error', null]],
    ],
    [
      'an addendum changing the coding after submission',
      claim,
      withDocs({ addenda: [{ createdAt: new Date('2026-11-05T10:00:00Z'), changesCoding: true }] }),
      [['DOCUMENTED_AFTER_SUBMISSION', 'error', null]],
    ],
    [
      'an addendum that leaves the coding alone, after submission',
      claim,
      withDocs({ addenda: [{ createdAt: new Date('2026-11-05T10:00:00Z'), changesCoding: false }] }),
      [['DOCUMENTED_AFTER_SUBMISSION', 'warning', null]],
    ],
    [
      'addenda written before submission',
      claim,
      withDocs({ addenda: [{ createdAt: new Date('2026-11-03T10:00:00Z'), changesCoding: true }] }),
      [],
    ],
    [
      'a billed code replaced in the documentation',
      claim,
      withDocs({ procedures: [{ id: PROCEDURE, code: '99214', units: 1, diagnosisCodes: ['I10'] }] }),
      [['UNDOCUMENTED_CODE', 'error', 1]],
    ],
    ['billed units other than documented', withLine({ units: 2 }), documentation, [['UNDOCUMENTED_CODE', 'error', 1]]],
    [
      'a line whose procedure is gone from the documentation',
      withLine({ procedureId: OTHER_PROCEDURE }),
      documentation,
      [['UNDOCUMENTED_CODE', 'error', 1]],
    ],
    [
      'a billed diagnosis no longer documented',
      claim,
      withDocs({ diagnosisCodes: ['E11.9'], procedures: [{ id: PROCEDURE, code: '99213', units: 1, diagnosisCodes: ['E11.9'] }] }),
      [
        ['UNDOCUMENTED_CODE', 'error', null],
        ['LINKAGE_MISMATCH', 'error', 1],
      ],
    ],
    ['a claim while a second note is a draft', claim, withDocs({ noteCount: 2 }), [['UNSIGNED_DOCUMENTATION', 'error', null]]],
    [
      'a claim whose encounter has no note at all',
      claim,
      withDocs({ noteCount: 0, signedNoteCount: 0, lastSignedAt: null }),
      [['UNSIGNED_DOCUMENTATION', 'error', null]],
    ],
    [
      'a high-dollar line while a note is unsigned',
      withLine({ chargeCents: DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS }),
      withDocs({ noteCount: 2 }),
      [
        ['UNSIGNED_DOCUMENTATION', 'error', null],
        ['HIGH_DOLLAR_UNDOCUMENTED', 'error', 1],
      ],
    ],
    [
      'a high-dollar line whose procedure is gone',
      withLine({ chargeCents: DEFAULT_HIGH_DOLLAR_THRESHOLD_CENTS + 1, procedureId: OTHER_PROCEDURE }),
      documentation,
      [
        ['UNDOCUMENTED_CODE', 'error', 1],
        ['HIGH_DOLLAR_UNDOCUMENTED', 'error', 1],
      ],
    ],
    ['a line pointing at no diagnosis', withLine({ pointers: [] }), documentation, [['LINKAGE_MISMATCH', 'error', 1]]],
    [
      'a line pointing at a diagnosis its procedure is not linked to',
      {
        ...withLine({ pointers: [1, 2] }),
        diagnoses: [
          { position: 1, code: 'I10' },
          { position: 2, code: 'E11.9' },
        ],
      },
      withDocs({ diagnosisCodes: ['I10', 'E11.9'] }),
      [['LINKAGE_MISMATCH', 'error', 1]],
    ],
    [
      'a procedure linked to a diagnosis the line does not point at',
      claim,
      withDocs({
        diagnosisCodes: ['I10', 'E11.9'],
        procedures: [{ id: PROCEDURE, code: '99213', units: 1, diagnosisCodes: ['I10', 'E11.9'] }],
      }),
      [['LINKAGE_MISMATCH', 'error', 1]],
    ],
  ])('flags %s', (_name, c, d, expected) => {
    expect(summary(c, d)).toEqual(expected);
  });

  test('the same pointed diagnoses in another order are not a linkage mismatch', () => {
    const c: ComplianceClaim = {
      ...withLine({ pointers: [2, 1] }),
      diagnoses: [
        { position: 1, code: 'I10' },
        { position: 2, code: 'E11.9' },
      ],
    };
    const d = withDocs({
      diagnosisCodes: ['I10', 'E11.9'],
      procedures: [{ id: PROCEDURE, code: '99213', units: 1, diagnosisCodes: ['I10', 'E11.9'] }],
    });
    expect(findingsOf(c, d)).toEqual([]);
  });

  test('a coding change after submission reads as undocumented code and late documentation together', () => {
    const d = withDocs({
      procedures: [{ id: PROCEDURE, code: '99214', units: 1, diagnosisCodes: ['I10'] }],
      addenda: [{ createdAt: new Date('2026-11-05T10:00:00Z'), changesCoding: true }],
    });
    expect(findingsOf(claim, d)).toEqual([
      {
        rule: 'DOCUMENTED_AFTER_SUBMISSION',
        severity: 'error',
        message: '1 addendum changed the coding after the claim was submitted: correct or void and rebill it',
        claimId: 'claim-1',
        lineNumber: null,
      },
      {
        rule: 'UNDOCUMENTED_CODE',
        severity: 'error',
        message: 'The line bills 99213; its procedure is now documented as 99214',
        claimId: 'claim-1',
        lineNumber: 1,
      },
    ]);
  });

  test('a claim never submitted is not documented after its submission', () => {
    const d = withDocs({
      lastSignedAt: new Date('2026-11-04T16:00:00Z'),
      addenda: [{ createdAt: new Date('2026-11-05T10:00:00Z'), changesCoding: true }],
    });
    expect(summary({ ...claim, status: 'draft', submittedAt: null }, d)).toEqual([]);
  });

  test('no date of service in the documentation yet: no date mismatch, and lateness counts from the line', () => {
    const d = withDocs({ serviceDate: null, lastSignedAt: new Date('2026-11-09T12:00:00Z') });
    expect(summary(withLine({ serviceDate: '2026-11-02' }), d)).toEqual([
      ['LATE_SIGNATURE', 'warning', null],
      ['DOCUMENTED_AFTER_SUBMISSION', 'error', null],
    ]);
  });

  test.each<[string, number, boolean]>([
    ['on the day of service', 0, false],
    ['on the last day allowed', DEFAULT_LATE_SIGNATURE_DAYS, false],
    ['the day after the last day allowed', DEFAULT_LATE_SIGNATURE_DAYS + 1, true],
  ])('a signature %s is late: %s', (_name, days, late) => {
    // Noon in New York on the given day; the claim was submitted long after.
    const signedAt = new Date(Date.parse('2026-11-02T17:00:00Z') + days * 86_400_000);
    const c = { ...claim, submittedAt: new Date('2026-12-01T00:00:00Z') };
    expect(summary(c, withDocs({ lastSignedAt: signedAt })).some(([r]) => r === 'LATE_SIGNATURE')).toBe(late);
  });

  test('lateness counts calendar days in the practice time zone, with the window configurable', () => {
    // 02:00 UTC on the 6th is still the 5th in New York: three days after the 2nd there, four in UTC.
    const d = withDocs({ lastSignedAt: new Date('2026-11-06T02:00:00Z') });
    const c = { ...claim, submittedAt: new Date('2026-12-01T00:00:00Z') };
    expect(complianceFindings([c], d, { timeZone: 'America/New_York' })).toEqual([]);
    expect(complianceFindings([c], d, { timeZone: 'UTC' }).map((f) => f.rule)).toEqual(['LATE_SIGNATURE']);
    expect(complianceFindings([c], d, { timeZone: 'America/New_York', lateSignatureDays: 2 })[0]?.message).toBe(
      'The documentation was signed 3 days after the date of service (at most 2 allowed)',
    );
  });

  test('the high-dollar threshold is configurable and inclusive', () => {
    const c = withLine({ chargeCents: 50_000 });
    const d = withDocs({ noteCount: 2 });
    const rules = (threshold: number) => complianceFindings([c], d, { highDollarThresholdCents: threshold }).map((f) => f.rule);
    expect(rules(50_000)).toContain('HIGH_DOLLAR_UNDOCUMENTED');
    expect(rules(50_001)).not.toContain('HIGH_DOLLAR_UNDOCUMENTED');
  });

  test('each live claim is checked and named, void ones are left out', () => {
    const voided = { ...withLine({ serviceDate: '2026-11-01' }), id: 'claim-0', status: 'void' as const };
    const live = { ...withLine({ serviceDate: '2026-11-03' }), id: 'claim-2', status: 'draft' as const, submittedAt: null };
    expect(complianceFindings([voided, live], documentation).map((f) => [f.claimId, f.rule])).toEqual([['claim-2', 'DATE_MISMATCH']]);
  });

  test('messages name codes, counts and lines, never a patient', () => {
    const d = withDocs({ noteCount: 3, procedures: [{ id: PROCEDURE, code: '99214', units: 2, diagnosisCodes: [] }], diagnosisCodes: [] });
    const messages = findingsOf(withLine({ chargeCents: 150_000 }), d).map((f) => f.message);
    expect(messages).toEqual([
      'The encounter has a claim while 2 of its 3 notes are unsigned',
      'The line bills 99213; its procedure is now documented as 99214',
      'The line bills 1 unit of 99213; the documentation has 2',
      'Diagnosis I10 (position 1) is billed but no longer documented',
      'A charge of 1500.00 (threshold 1000.00) is not backed by signed documentation of its procedure',
      'The line points at I10; the documentation links its procedure to none',
    ]);
  });
});

describe('dates', () => {
  test.each<[string, string, string]>([
    ['2026-11-02T04:59:00Z', 'America/New_York', '2026-11-01'],
    ['2026-11-02T05:00:00Z', 'America/New_York', '2026-11-02'],
    ['2026-11-02T23:30:00Z', 'UTC', '2026-11-02'],
  ])('%s falls on the day given in %s', (at, zone, day) => {
    expect(localDate(new Date(at), zone)).toBe(day);
  });

  test('counts calendar days across a month end and a daylight-saving change', () => {
    expect(daysBetween('2026-10-30', '2026-11-02')).toBe(3);
    expect(daysBetween('2026-11-02', '2026-11-01')).toBe(-1);
  });
});

describe('reading the documentation the gateway sent', () => {
  const sent = {
    noteCount: 1,
    signedNoteCount: 1,
    lastSignedAt: '2026-11-02T20:00:00.000Z',
    serviceDate: '2026-11-02',
    addenda: [{ createdAt: '2026-11-05T10:00:00.000Z', changesCoding: true }],
    diagnosisCodes: ['I10'],
    procedures: [{ id: PROCEDURE.toUpperCase(), code: '99213', units: 1, diagnosisCodes: ['I10'] }],
  };

  test('reads dates, addenda and procedures', () => {
    expect(documentationFromRepresentation(sent)).toEqual({
      ...documentation,
      addenda: [{ createdAt: new Date('2026-11-05T10:00:00Z'), changesCoding: true }],
    });
  });

  test('reads an encounter never signed', () => {
    expect(
      documentationFromRepresentation({ ...sent, signedNoteCount: 0, lastSignedAt: null, serviceDate: null, addenda: [] }),
    ).toMatchObject({ lastSignedAt: null, serviceDate: null });
  });

  test.each<[string, unknown]>([
    ['nothing', undefined],
    ['null (the EHR refused the field)', null],
    ['a list', []],
    ['a missing count', { ...sent, noteCount: undefined }],
    ['more signed notes than notes', { ...sent, signedNoteCount: 2 }],
    ['a date-time without a zone', { ...sent, lastSignedAt: '2026-11-02T20:00:00' }],
    ['an impossible date', { ...sent, serviceDate: '2026-02-30' }],
    ['an addendum without its flag', { ...sent, addenda: [{ createdAt: '2026-11-05T10:00:00Z' }] }],
    ['a procedure without units', { ...sent, procedures: [{ id: PROCEDURE, code: '99213', diagnosisCodes: [] }] }],
    ['diagnosis codes that are not text', { ...sent, diagnosisCodes: [10] }],
  ])('is unusable given %s', (_name, value) => {
    expect(documentationFromRepresentation(value)).toBeNull();
  });
});

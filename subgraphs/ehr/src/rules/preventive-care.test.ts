import { describe, expect, test } from 'vitest';
import { ageInMonths, ageInYears, influenzaSeasonStart, preventiveCareDue, type PreventiveCareFacts } from './preventive-care.js';

const facts = (over: Partial<PreventiveCareFacts>): PreventiveCareFacts => ({
  today: '2026-11-22',
  birthDate: '1970-05-10',
  sex: 'FEMALE',
  immunizations: [],
  lastBloodPressureOn: null,
  labResults: [],
  ...over,
});
const rules = (over: Partial<PreventiveCareFacts>) => preventiveCareDue(facts(over)).map((d) => d.rule);

describe('age', () => {
  test.each([
    ['2000-02-29', '2018-02-28', 18],
    ['2000-05-10', '2026-05-09', 25],
    ['2000-05-10', '2026-05-10', 26],
  ])('born %s is %d on %s', (birth, today, years) => {
    expect(ageInYears(birth, today)).toBe(years);
  });

  test("counts months, a birthday on the 31st reached on a shorter month's last day", () => {
    expect(ageInMonths('2026-05-31', '2026-11-30')).toBe(6);
    expect(ageInMonths('2026-05-31', '2026-11-29')).toBe(5);
  });
});

describe('influenza vaccine (ACIP)', () => {
  test('the season runs from 1 July', () => {
    expect(influenzaSeasonStart('2026-11-22')).toBe('2026-07-01');
    expect(influenzaSeasonStart('2027-03-01')).toBe('2026-07-01');
  });

  test('is due for anyone 6 months or older without a dose this season', () => {
    const due = preventiveCareDue(facts({ birthDate: '2026-05-01', sex: 'MALE' }));
    expect(due).toEqual([
      {
        rule: 'influenza-vaccine',
        message: 'Influenza vaccine due: no dose recorded for the 2026-2027 season (CDC ACIP)',
        source: expect.stringContaining('ACIP'),
      },
    ]);
  });

  test('is not due under 6 months, nor after a dose this season, nor in July and August', () => {
    expect(rules({ birthDate: '2026-06-01' })).not.toContain('influenza-vaccine');
    expect(rules({ immunizations: [{ cvxCode: '150', administeredOn: '2026-10-02' }] })).not.toContain('influenza-vaccine');
    expect(rules({ today: '2026-08-15' })).not.toContain('influenza-vaccine');
  });

  test("counts neither last season's dose nor another vaccine", () => {
    expect(rules({ immunizations: [{ cvxCode: '150', administeredOn: '2026-06-30' }] })).toContain('influenza-vaccine');
    expect(rules({ immunizations: [{ cvxCode: '213', administeredOn: '2026-10-02' }] })).toContain('influenza-vaccine');
  });
});

describe('colorectal cancer screening (USPSTF 2021)', () => {
  test.each([
    ['1982-01-01', false], // 44
    ['1981-11-22', true], // 45 today
    ['1951-11-23', true], // 75
    ['1950-11-22', false], // 76
  ])('born %s: due %s', (birthDate, due) => {
    expect(rules({ birthDate, sex: 'MALE' }).includes('colorectal-cancer-screening')).toBe(due);
  });

  test('is met by a FIT within a year or a stool DNA test within 3 years', () => {
    expect(rules({ labResults: [{ loincCode: '29771-3', observedOn: '2026-01-10' }] })).not.toContain('colorectal-cancer-screening');
    expect(rules({ labResults: [{ loincCode: '29771-3', observedOn: '2025-11-01' }] })).toContain('colorectal-cancer-screening');
    expect(rules({ labResults: [{ loincCode: '77353-1', observedOn: '2024-01-10' }] })).not.toContain('colorectal-cancer-screening');
  });
});

describe('cervical cancer screening (USPSTF 2018)', () => {
  test.each([
    ['FEMALE', '2005-11-22', true], // 21
    ['FEMALE', '2006-01-01', false], // 20
    ['FEMALE', '1960-11-23', true], // 65
    ['FEMALE', '1960-01-01', false], // 66
    ['MALE', '1990-01-01', false],
    ['UNKNOWN', '1990-01-01', false],
  ] as const)('%s born %s: due %s', (sex, birthDate, due) => {
    expect(rules({ sex, birthDate }).includes('cervical-cancer-screening')).toBe(due);
  });

  test('is met by cytology within 3 years, or from 30 by an HPV test within 5 years', () => {
    expect(rules({ birthDate: '2000-01-01', labResults: [{ loincCode: '10524-7', observedOn: '2024-06-01' }] })).not.toContain(
      'cervical-cancer-screening',
    );
    expect(rules({ birthDate: '2000-01-01', labResults: [{ loincCode: '21440-3', observedOn: '2024-06-01' }] })).toContain(
      'cervical-cancer-screening',
    );
    expect(rules({ birthDate: '1980-01-01', labResults: [{ loincCode: '21440-3', observedOn: '2022-06-01' }] })).not.toContain(
      'cervical-cancer-screening',
    );
    expect(rules({ birthDate: '1980-01-01', labResults: [{ loincCode: '10524-7', observedOn: '2022-06-01' }] })).toContain(
      'cervical-cancer-screening',
    );
  });
});

describe('blood pressure screening (USPSTF 2021)', () => {
  test('is due for adults without a blood pressure in the last 365 days', () => {
    expect(rules({ lastBloodPressureOn: null })).toContain('blood-pressure-screening');
    expect(rules({ lastBloodPressureOn: '2025-11-21' })).toContain('blood-pressure-screening');
    expect(rules({ lastBloodPressureOn: '2025-11-22' })).not.toContain('blood-pressure-screening');
  });

  test('is not due under 18', () => {
    expect(rules({ birthDate: '2008-11-23' })).not.toContain('blood-pressure-screening');
    expect(rules({ birthDate: '2008-11-22' })).toContain('blood-pressure-screening');
  });
});

test('says nothing without a birth date', () => {
  expect(preventiveCareDue(facts({ birthDate: null }))).toEqual([]);
});

test('a 52-year-old woman with nothing on file is due all four', () => {
  expect(rules({})).toEqual(['influenza-vaccine', 'colorectal-cancer-screening', 'cervical-cancer-screening', 'blood-pressure-screening']);
});

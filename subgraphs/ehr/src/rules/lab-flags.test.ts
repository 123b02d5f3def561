import { describe, expect, test } from 'vitest';
import { computeFlag, isAbnormalFlag, isCriticalFlag, resultAlerts, type ResultForAlert } from './lab-flags.js';

const potassium = { referenceLow: 3.5, referenceHigh: 5.1, criticalLow: 2.8, criticalHigh: 6.2 };
const none = { referenceLow: null, referenceHigh: null, criticalLow: null, criticalHigh: null };

describe('the flag of a numeric result', () => {
  test.each([
    [2.5, 'LL'],
    [2.8, 'L'],
    [3.4, 'L'],
    [3.5, 'N'],
    [4.2, 'N'],
    [5.1, 'N'],
    [5.2, 'H'],
    [6.2, 'H'],
    [6.3, 'HH'],
  ] as const)('potassium %d mmol/L against 3.5-5.1 (critical 2.8 / 6.2) is %s', (value, flag) => {
    expect(computeFlag(value, potassium)).toBe(flag);
  });

  test('judges by a one-sided range', () => {
    expect(computeFlag(250, { ...none, referenceHigh: 200 })).toBe('H');
    expect(computeFlag(150, { ...none, referenceHigh: 200 })).toBe('N');
    expect(computeFlag(30, { ...none, referenceLow: 40 })).toBe('L');
  });

  test('uses critical limits given without a reference range', () => {
    expect(computeFlag(1.9, { ...none, criticalLow: 2.0 })).toBe('LL');
    expect(computeFlag(2.5, { ...none, criticalLow: 2.0 })).toBeNull();
  });

  test('has nothing to say without limits', () => {
    expect(computeFlag(42, none)).toBeNull();
  });

  test.each([
    ['LL', true, true],
    ['HH', true, true],
    ['L', false, true],
    ['H', false, true],
    ['A', false, true],
    ['N', false, false],
    [null, false, false],
  ] as const)('%s is critical: %s, abnormal: %s', (flag, critical, abnormal) => {
    expect(isCriticalFlag(flag)).toBe(critical);
    expect(isAbnormalFlag(flag)).toBe(abnormal);
  });
});

describe('result alerts', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const result = (over: Partial<ResultForAlert>): ResultForAlert => ({
    id: '00000000-0000-4000-8000-000000000001',
    loincCode: '2823-3',
    testName: 'Potassium',
    value: '6.8',
    unit: 'mmol/L',
    flag: 'HH',
    critical: true,
    observedAt: new Date('2026-11-21T09:00:00Z'),
    ...over,
  });

  test('raise a critical result as critical, naming the test, value, unit and flag', () => {
    expect(resultAlerts([result({})], now)).toEqual([
      {
        kind: 'critical_result',
        severity: 'critical',
        rule: 'lab-result.critical',
        message: 'Critical result: Potassium (LOINC 2823-3) 6.8 mmol/L (HH) on 2026-11-21',
        resultId: '00000000-0000-4000-8000-000000000001',
        at: new Date('2026-11-21T09:00:00Z'),
      },
    ]);
  });

  test('raise an abnormal result as a warning, and a result marked critical without a flag as critical', () => {
    const alerts = resultAlerts(
      [
        result({ loincCode: '2345-7', testName: 'Glucose', value: '140', unit: 'mg/dL', flag: 'H', critical: false }),
        result({ flag: null }),
      ],
      now,
    );
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['critical_result', 'critical'],
      ['abnormal_result', 'warning'],
    ]);
  });

  test('ignore normal results, results older than 30 days, and results a newer one of the same test supersedes', () => {
    expect(resultAlerts([result({ flag: 'N', critical: false })], now)).toEqual([]);
    expect(resultAlerts([result({ observedAt: new Date('2026-10-01T00:00:00Z') })], now)).toEqual([]);
    const older = result({ id: '00000000-0000-4000-8000-000000000002', observedAt: new Date('2026-11-20T00:00:00Z') });
    const newerNormal = result({ id: '00000000-0000-4000-8000-000000000003', flag: 'N', critical: false, value: '4.1' });
    expect(resultAlerts([older, newerNormal], now)).toEqual([]);
  });
});

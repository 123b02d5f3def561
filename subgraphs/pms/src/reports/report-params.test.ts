import { describe, expect, test } from 'vitest';
import { ReportInputError, parseDate, parseFilters, parsePeriod, periodDays, splitPeriod } from './report-params.js';

describe('parsePeriod', () => {
  test.each([
    ['no from', { to: '2026-01-31' }, 'from'],
    ['no to', { from: '2026-01-01' }, 'to'],
    ['an empty from', { from: '', to: '2026-01-31' }, 'from'],
    ['to before from', { from: '2026-01-02', to: '2026-01-01' }, 'to'],
    ['exactly five years', { from: '2021-03-01', to: '2026-03-01' }, 'to'],
    ['a leap day plus five years', { from: '2024-02-29', to: '2029-03-01' }, 'to'],
    ['a date that does not exist', { from: '2026-01-01', to: '2026-04-31' }, 'to'],
  ])('refuses %s, naming the argument', (_case, input, field) => {
    expect(() => parsePeriod(input)).toThrow(ReportInputError);
    expect(() => parsePeriod(input)).toThrow(expect.objectContaining({ field }));
  });

  test.each([
    ['one day', { from: '2026-01-01', to: '2026-01-01' }],
    ['a day short of five years', { from: '2021-03-01', to: '2026-02-28' }],
  ])('accepts %s', (_case, input) => {
    expect(parsePeriod(input)).toEqual(input);
  });
});

test('parseDate names its argument', () => {
  expect(() => parseDate(undefined, 'asOf')).toThrow(expect.objectContaining({ field: 'asOf' }));
});

test('parseFilters lowercases ids and refuses malformed ones', () => {
  expect(parseFilters({ payerId: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', providerId: null })).toEqual({
    payerId: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  });
  expect(() => parseFilters({ locationId: "1' or '1'='1" })).toThrow(expect.objectContaining({ field: 'locationId' }));
});

test.each([
  [{ from: '2026-01-01', to: '2026-01-31' }, 31],
  [{ from: '2026-01-01', to: '2026-03-31' }, 90],
  [{ from: '2024-01-01', to: '2024-12-31' }, 366],
  // Across the switch to daylight saving time: calendar days, not 24-hour periods.
  [{ from: '2026-03-07', to: '2026-03-09' }, 3],
])('periodDays(%o) is %i', (period, days) => {
  expect(periodDays(period)).toBe(days);
});

describe('splitPeriod', () => {
  test('by month, the first and last cut to the period', () => {
    expect(splitPeriod({ from: '2026-01-15', to: '2026-03-10' }, 'month')).toEqual([
      { from: '2026-01-15', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-10' },
    ]);
  });

  test('by ISO week (Monday to Sunday), across a year end', () => {
    expect(splitPeriod({ from: '2025-12-24', to: '2026-01-06' }, 'week')).toEqual([
      { from: '2025-12-24', to: '2025-12-28' },
      { from: '2025-12-29', to: '2026-01-04' },
      { from: '2026-01-05', to: '2026-01-06' },
    ]);
  });

  test('a period starting on a Sunday has a one-day first week', () => {
    expect(splitPeriod({ from: '2026-03-01', to: '2026-03-02' }, 'week')).toEqual([
      { from: '2026-03-01', to: '2026-03-01' },
      { from: '2026-03-02', to: '2026-03-02' },
    ]);
  });

  test('matches a day-by-day grouping for every start in a leap winter and a year end', () => {
    // The reference walks each day with Date and groups it by its month or by the Monday of its week.
    const reference = (from: string, to: string, interval: 'month' | 'week') => {
      const groups: Array<{ key: string; from: string; to: string }> = [];
      for (let ms = Date.parse(`${from}T00:00:00Z`); ms <= Date.parse(`${to}T00:00:00Z`); ms += 86_400_000) {
        const day = new Date(ms).toISOString().slice(0, 10);
        const key =
          interval === 'month'
            ? day.slice(0, 7)
            : new Date(ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
        const current = groups[groups.length - 1];
        if (current?.key === key) current.to = day;
        else groups.push({ key, from: day, to: day });
      }
      return groups.map(({ from: f, to: t }) => ({ from: f, to: t }));
    };
    for (const [first, span] of [
      ['2023-12-01', 150],
      ['0999-12-20', 20],
      ['9999-11-25', 36],
    ] as const) {
      for (let offset = 0; offset < span; offset += 1) {
        const from = new Date(Date.parse(`${first}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
        const toMs = Date.parse(`${from}T00:00:00Z`) + ((offset * 7) % 97) * 86_400_000;
        if (toMs > Date.parse('9999-12-31T00:00:00Z')) continue;
        const to = new Date(toMs).toISOString().slice(0, 10);
        for (const interval of ['month', 'week'] as const)
          expect(splitPeriod({ from, to }, interval), `${from}..${to} by ${interval}`).toEqual(reference(from, to, interval));
      }
    }
  });

  test('five years by week is at most 262 sub-periods', () => {
    expect(splitPeriod({ from: '2021-01-01', to: '2025-12-31' }, 'week').length).toBeLessThanOrEqual(262);
  });
});

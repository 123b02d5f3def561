import { describe, expect, test } from 'vitest';
import { isIsoDate, parseDateTime } from './dates.js';

describe('calendar dates', () => {
  test.each(['2026-11-22', '2024-02-29', '1900-01-01'])('accepts %s', (value) => {
    expect(isIsoDate(value)).toBe(true);
  });

  test.each(['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '20261122', '2026-11-22T00:00:00Z', ''])('refuses %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });
});

describe('instants', () => {
  test('reads an offset into the same instant in UTC', () => {
    expect(parseDateTime('2026-11-22T09:30:00-05:00')?.toISOString()).toBe('2026-11-22T14:30:00.000Z');
  });

  test.each(['2026-11-22T09:30:00', '2026-11-22', '2026-02-30T00:00:00Z', 'yesterday'])(
    'refuses %j (no zone, no time, or impossible)',
    (value) => {
      expect(parseDateTime(value)).toBeUndefined();
    },
  );
});

import { describe, expect, test } from 'vitest';
import { exactRatio } from './exact-ratio.js';

describe('exactRatio', () => {
  test.each([
    ['a plain ratio', 1, 4, 1, '0.2500'],
    ['two thirds, rounded half away from zero', 2, 3, 1, '0.6667'],
    ['one third', 1, 3, 1, '0.3333'],
    ['a half of the last place rounds up', 1, 20_000, 1, '0.0001'],
    ['just under a half rounds down', 1, 20_001, 1, '0.0000'],
    ['more than one', 5, 4, 1, '1.2500'],
    ['a multiplier (days in A/R: A/R x days / charges)', 150_000, 300_000, 90, '45.0000'],
    ['a negative numerator', -1, 3, 1, '-0.3333'],
    ['a negative numerator that rounds to zero', -1, 30_000, 1, '0.0000'],
    ['amounts beyond 2^53 once multiplied', 9_000_000_000_000, 7, 1825, '2346428571428571.4286'],
  ])('%s', (_case, n, d, m, expected) => {
    expect(exactRatio(n, d, m)).toBe(expected);
  });

  test.each([0, -5])('is null when the denominator is %s', (d) => {
    expect(exactRatio(10, d)).toBeNull();
  });

  test('refuses fractions: amounts are cents', () => {
    expect(() => exactRatio(0.5, 1)).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'vitest';
import { formatCents, money, parseAmountToCents } from './money.js';

describe('money', () => {
  test.each([
    [0, '0.00'],
    [5, '0.05'],
    [12500, '125.00'],
    [-1050, '-10.50'],
    [9_007_199_254_740_991n, '90071992547409.91'],
  ])('formats %s cents as %s', (cents, amount) => {
    expect(formatCents(cents)).toBe(amount);
  });

  test.each([
    ['125', 12500],
    ['125.5', 12550],
    ['0.07', 7],
    ['-10.50', -1050],
  ])('parses %s into %s cents', (amount, cents) => {
    expect(parseAmountToCents(amount)).toBe(cents);
  });

  test.each(['1.005', '1,00', 'abc', '', '1e3'])('refuses %j', (amount) => {
    expect(parseAmountToCents(amount)).toBeUndefined();
  });

  test('adds up without float drift', () => {
    const cents = Array.from({ length: 10 }, () => parseAmountToCents('0.10') ?? 0).reduce((a, b) => a + b, 0);
    expect(money(cents)).toEqual({ amount: '1.00', currency: 'USD' });
  });
});

import { describe, expect, test } from 'vitest';
import { amountCents, memberIdProblem, periodProblem } from './coverage.js';

describe('memberIdProblem', () => {
  test.each(['ABC', 'W123456789', 'XJH-88-1204', 'a'.repeat(30)])('accepts %s', (id) => {
    expect(memberIdProblem(id)).toBeNull();
  });
  test.each(['AB', 'a'.repeat(31), 'ABC 123', 'ABC_123', 'ÄBC123', ''])('refuses %j', (id) => {
    expect(memberIdProblem(id)).toMatch(/3 to 30/);
  });
});

describe('periodProblem', () => {
  test.each([
    ['2026-01-01', null, null],
    ['2026-01-01', '2026-01-01', null],
    ['2026-01-01', '2026-12-31', null],
    ['2026-01-02', '2026-01-01', 'effectiveTo must not be before effectiveFrom'],
  ])('from %s to %s: %s', (from, to, problem) => {
    expect(periodProblem(from, to)).toBe(problem);
  });
});

describe('amountCents', () => {
  test.each([
    ['25', 2500],
    ['25.5', 2550],
    ['0.00', 0],
    ['1500.00', 150_000],
    [null, null],
  ])('%j is %j cents', (amount, cents) => {
    expect(amountCents('copay', amount)).toBe(cents);
  });
  test.each([
    ['-1.00', 'copay must not be negative'],
    ['12.345', 'copay must be a decimal amount such as "25.00"'],
    ['ten', 'copay must be a decimal amount such as "25.00"'],
    ['10000000.01', 'copay is too large'],
  ])('refuses %j', (amount, problem) => {
    expect(amountCents('copay', amount)).toEqual({ problem });
  });
});

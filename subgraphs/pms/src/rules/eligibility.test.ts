import { describe, expect, test } from 'vitest';
import { builtInEligibilityAdapter } from '../eligibility/built-in-eligibility-adapter.js';
import { decideFromPlan, isInForce, remainingDeductible } from './eligibility.js';

describe('isInForce', () => {
  test.each([
    ['2026-01-01', null, '2026-01-01', true],
    ['2026-01-01', null, '2030-06-30', true],
    ['2026-01-01', null, '2025-12-31', false],
    ['2026-01-01', '2026-12-31', '2026-12-31', true],
    ['2026-01-01', '2026-12-31', '2027-01-01', false],
    ['2026-03-15', '2026-03-15', '2026-03-15', true],
  ])('from %s to %s on %s: %s', (effectiveFrom, effectiveTo, date, expected) => {
    expect(isInForce({ effectiveFrom, effectiveTo }, date)).toBe(expected);
  });
});

describe('remainingDeductible', () => {
  test.each([
    [150_000, 0, 150_000],
    [150_000, 40_000, 110_000],
    [150_000, 150_000, 0],
    [150_000, 200_000, 0],
    [0, 0, 0],
    [null, 10_000, null],
  ])('deductible %s, met %s: %s left', (deductible, met, left) => {
    expect(remainingDeductible(deductible, met)).toBe(left);
  });
});

describe('decideFromPlan', () => {
  const plan = {
    effectiveFrom: '2026-01-01',
    effectiveTo: '2026-12-31',
    copayCents: 2500,
    deductibleCents: 100_000,
    deductibleMetCents: 30_000,
  };

  test('is active inside the period, with the copay and what is left of the deductible', () => {
    expect(decideFromPlan(plan, '2026-06-01')).toEqual({
      outcome: 'active',
      copayCents: 2500,
      remainingDeductibleCents: 70_000,
      message: 'Coverage is in force on the date of service',
    });
  });

  test.each([
    ['2025-12-31', 'The date of service is before the coverage starts'],
    ['2027-01-01', 'The date of service is after the coverage ended'],
  ])('is inactive on %s, with no amounts', (date, message) => {
    expect(decideFromPlan(plan, date)).toEqual({ outcome: 'inactive', copayCents: null, remainingDeductibleCents: null, message });
  });

  test('keeps an unknown copay unknown', () => {
    expect(decideFromPlan({ ...plan, copayCents: null }, '2026-06-01').copayCents).toBeNull();
  });
});

describe('the built-in adapter', () => {
  test('answers from the stored coverage and keeps no member id or date in its raw answer', async () => {
    const response = await builtInEligibilityAdapter.check({
      dateOfService: '2026-06-01',
      payer: { payerId: 'NWH01', name: 'Northwind Health' },
      coverage: {
        rank: 'primary',
        memberId: 'ABC-123456',
        groupNumber: 'G-77',
        planName: 'Gold PPO',
        relationship: 'self',
        effectiveFrom: '2026-01-01',
        effectiveTo: null,
        copayCents: 3000,
        deductibleCents: 50_000,
        deductibleMetCents: 60_000,
      },
    });
    expect(response).toMatchObject({ outcome: 'active', copayCents: 3000, remainingDeductibleCents: 0 });
    const raw = JSON.stringify(response.raw);
    expect(raw).not.toContain('ABC-123456');
    // Neither the visit's nor the coverage's dates, of any year.
    expect(raw).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(response.raw).toMatchObject({ payerId: 'NWH01' });
  });
});

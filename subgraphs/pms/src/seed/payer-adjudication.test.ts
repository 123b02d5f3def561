import { describe, expect, test } from 'vitest';
import { adjudicatedStatus, isDenied, remittanceProblem } from '../rules/remittance.js';
import { DENIAL_REASONS, adjudicate, allowedCents, type PayerDecision, type PlanBenefits } from './payer-adjudication.js';

const LINES = [
  { lineNumber: 1, code: '99214', chargeCents: 18000 },
  { lineNumber: 2, code: '36415', chargeCents: 1500 },
  { lineNumber: 3, code: '80053', chargeCents: 4500 },
];
const plan = (overrides: Partial<PlanBenefits> = {}): PlanBenefits => ({
  copayCents: 2500,
  coinsurancePercent: 20,
  deductibleLeftCents: 0,
  ...overrides,
});
const sum = (amounts: readonly number[]) => amounts.reduce((s, a) => s + a, 0);

describe('the synthetic payers adjudicate claims the posting rules accept', () => {
  test.each<[string, PayerDecision]>([
    ['paid', { kind: 'pay' }],
    ['denied whole', { kind: 'deny_claim', reason: '50' }],
    ['denied on one line', { kind: 'deny_line', lineNumber: 2, reason: '97' }],
    ['not covered on one line', { kind: 'not_covered', lineNumber: 3 }],
  ])('balances every line when %s', (_, decision) => {
    const lines = adjudicate(0, LINES, plan({ deductibleLeftCents: 100_000 }), decision);
    expect(remittanceProblem(LINES, lines)).toBeNull();
    for (const line of lines) {
      const charge = LINES.find((l) => l.lineNumber === line.lineNumber)!.chargeCents;
      expect(line.paidCents + sum(line.adjustments.map((a) => a.amountCents))).toBe(charge);
    }
  });

  test.each([0, 1, 2])('payer %i allows less than the charge, and the rest is contractual (CO-45)', (payer) => {
    const [visit] = adjudicate(payer, LINES, plan({ copayCents: 0 }), { kind: 'pay' });
    expect(visit!.allowedCents).toBe(allowedCents(payer, '99214', 18000));
    expect(visit!.allowedCents).toBeLessThan(18000);
    expect(visit!.adjustments).toContainEqual({ group: 'CO', reason: '45', amountCents: 18000 - visit!.allowedCents });
  });

  test('takes the copay once, on the office visit (PR-3), and coinsurance on the rest (PR-2)', () => {
    const [visit, draw, panel] = adjudicate(0, LINES, plan(), { kind: 'pay' });
    expect(visit!.adjustments.filter((a) => a.group === 'PR')).toEqual([{ group: 'PR', reason: '3', amountCents: 2500 }]);
    expect(draw!.adjustments.some((a) => a.reason === '3')).toBe(false);
    expect(panel!.adjustments.find((a) => a.group === 'PR')?.reason).toBe('2');
  });

  test('draws the deductible down across lines and never leaves the payer paying nothing on a covered line', () => {
    const benefits = plan({ copayCents: 0, deductibleLeftCents: 100_000 });
    const lines = adjudicate(1, LINES, benefits, { kind: 'pay' });
    expect(lines.every((l) => l.paidCents > 0)).toBe(true);
    expect(lines.every((l) => !isDenied(l))).toBe(true);
    const deductible = sum(lines.flatMap((l) => l.adjustments.filter((a) => a.reason === '1').map((a) => a.amountCents)));
    expect(benefits.deductibleLeftCents).toBe(100_000 - deductible);
    expect(adjudicatedStatus(lines)).toBe('paid');
  });

  test('charges the patient nothing for a preventive visit', () => {
    const [physical] = adjudicate(2, [{ lineNumber: 1, code: '99396', chargeCents: 22000 }], plan({ deductibleLeftCents: 50_000 }), {
      kind: 'pay',
    });
    expect(physical!.patientResponsibilityCents).toBe(0);
    expect(physical!.paidCents).toBe(physical!.allowedCents);
  });

  test('a denial pays nothing and adjusts the whole charge with its CARC reason; the claim or the line is denied', () => {
    const whole = adjudicate(0, LINES, plan(), { kind: 'deny_claim', reason: '16' });
    expect(whole.every((l) => l.paidCents === 0 && isDenied(l))).toBe(true);
    expect(adjudicatedStatus(whole)).toBe('denied');
    const one = adjudicate(0, LINES, plan(), { kind: 'deny_line', lineNumber: 2, reason: '97' });
    expect(one[1]!.adjustments).toEqual([{ group: 'CO', reason: '97', amountCents: 1500 }]);
    expect(adjudicatedStatus(one)).toBe('partially_paid');
  });

  test('a service the plan does not cover is the patient’s (PR-204), not a denial', () => {
    const lines = adjudicate(0, LINES, plan(), { kind: 'not_covered', lineNumber: 3 });
    expect(lines[2]).toMatchObject({
      paidCents: 0,
      patientResponsibilityCents: 4500,
      adjustments: [{ group: 'PR', reason: '204', amountCents: 4500 }],
    });
    expect(isDenied(lines[2]!)).toBe(false);
    expect(adjudicatedStatus(lines)).toBe('paid');
  });

  test('denies with CARC codes, CO-45 never among them, and knows which ones billers appeal', () => {
    expect(DENIAL_REASONS.every((r) => /^[0-9]{1,3}$/.test(r.reason) && r.reason !== '45' && r.reason !== '253')).toBe(true);
    expect(DENIAL_REASONS.filter((r) => r.appeal !== null).map((r) => r.reason)).toEqual(['16', '22', '50', '151', '197']);
  });
});

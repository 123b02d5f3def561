import { describe, expect, test } from 'vitest';
import {
  adjudicatedStatus,
  claimBalance,
  isDenied,
  remittancePath,
  remittanceProblem,
  reversalOf,
  settledLineIds,
  sumBalances,
  type RemittanceLineInput,
} from './remittance.js';

const CLAIM_LINES = [
  { lineNumber: 1, chargeCents: 12500 },
  { lineNumber: 2, chargeCents: 1500 },
];

// Line 1: charge 125.00, allowed 100.00, paid 80.00, CO-45 25.00 (over the fee schedule), PR-2 20.00 (coinsurance).
const PAID: RemittanceLineInput = {
  lineNumber: 1,
  allowedCents: 10000,
  paidCents: 8000,
  patientResponsibilityCents: 2000,
  adjustments: [
    { group: 'CO', reason: '45', amountCents: 2500 },
    { group: 'PR', reason: '2', amountCents: 2000 },
  ],
};
// Line 2: denied, CO-97 (included in another service's payment) for the whole charge.
const DENIED: RemittanceLineInput = {
  lineNumber: 2,
  allowedCents: 0,
  paidCents: 0,
  patientResponsibilityCents: 0,
  adjustments: [{ group: 'CO', reason: '97', amountCents: 1500 }],
};

describe('remittance content', () => {
  test('accepts balanced lines that cover the claim', () => {
    expect(remittanceProblem(CLAIM_LINES, [PAID, DENIED])).toBeNull();
  });

  test.each<[string, RemittanceLineInput[], string]>([
    ['no lines', [], 'lines'],
    ['an unknown line', [PAID, { ...DENIED, lineNumber: 3 }], 'lines.1.lineNumber'],
    ['a line twice', [PAID, PAID], 'lines.1.lineNumber'],
    ['a missing line', [PAID], 'lines'],
    ['a negative paid amount', [{ ...PAID, paidCents: -1 }, DENIED], 'lines.0.paid'],
    ['allowed over the charge', [{ ...PAID, allowedCents: 12600 }, DENIED], 'lines.0.allowed'],
    ['paid over allowed', [{ ...PAID, allowedCents: 7000 }, DENIED], 'lines.0.paid'],
    [
      'a reason that is not a CARC',
      [{ ...PAID, adjustments: [{ group: 'CO', reason: 'XX1', amountCents: 2500 }, PAID.adjustments[1]!] }, DENIED],
      'lines.0.adjustments.0.reason',
    ],
    [
      'a zero adjustment',
      [{ ...PAID, adjustments: [...PAID.adjustments, { group: 'OI', reason: '23', amountCents: 0 }] }, DENIED],
      'lines.0.adjustments.2.amount',
    ],
    [
      'patient responsibility unlike its PR adjustments',
      [{ ...PAID, patientResponsibilityCents: 1999 }, DENIED],
      'lines.0.patientResponsibility',
    ],
    ['a line that does not balance', [{ ...PAID, paidCents: 7999 }, DENIED], 'lines.0.adjustments'],
  ])('refuses %s', (_name, lines, path) => {
    expect(remittanceProblem(CLAIM_LINES, lines)?.path).toBe(path);
  });
});

describe('adjudication', () => {
  test('a line paid nothing with only the patient share adjusted is not a denial (deductible)', () => {
    expect(isDenied({ paidCents: 0, adjustments: [{ group: 'PR', reason: '1', amountCents: 1500 }] })).toBe(false);
    expect(isDenied(DENIED)).toBe(true);
    expect(isDenied(PAID)).toBe(false);
  });

  test.each<[string, RemittanceLineInput[], string]>([
    ['all paid', [PAID], 'paid'],
    ['all denied', [DENIED], 'denied'],
    ['some of each', [PAID, DENIED], 'partially_paid'],
  ])('%s gives %s', (_name, lines, status) => {
    expect(adjudicatedStatus(lines)).toBe(status);
  });

  test('a submitted claim is accepted on the way', () => {
    expect(remittancePath('submitted', 'paid')).toEqual(['accepted', 'paid']);
    expect(remittancePath('appealed', 'denied')).toEqual(['denied']);
  });
});

describe('balances', () => {
  const posted = [
    { paidCents: 8000, denied: false, adjustments: PAID.adjustments },
    { paidCents: 0, denied: true, adjustments: DENIED.adjustments },
  ];

  test('an unadjudicated claim owes its charge to the payer', () => {
    expect(claimBalance({ status: 'submitted', chargeCents: 14000 }, [], 0)).toMatchObject({
      balanceCents: 14000,
      insuranceBalanceCents: 14000,
      patientBalanceCents: 0,
    });
  });

  test('a partial payment leaves the patient share and the denied line open', () => {
    // 140.00 - 80.00 paid - 25.00 CO-45 = 35.00: 20.00 the patient's coinsurance, 15.00 the denied line.
    expect(claimBalance({ status: 'partially_paid', chargeCents: 14000 }, posted, 0)).toEqual({
      chargeCents: 14000,
      payerPaidCents: 8000,
      adjustedCents: 2500,
      patientResponsibilityCents: 2000,
      patientPaidCents: 0,
      balanceCents: 3500,
      patientBalanceCents: 2000,
      insuranceBalanceCents: 1500,
    });
  });

  test("the patient's payment reduces the patient's share", () => {
    expect(claimBalance({ status: 'partially_paid', chargeCents: 14000 }, posted, 2000)).toMatchObject({
      balanceCents: 1500,
      patientBalanceCents: 0,
      insuranceBalanceCents: 1500,
    });
  });

  test('a void claim owes nothing', () => {
    expect(claimBalance({ status: 'void', chargeCents: 14000 }, posted, 0).balanceCents).toBe(0);
  });

  test('sums to the cent', () => {
    const one = claimBalance({ status: 'partially_paid', chargeCents: 14000 }, posted, 1);
    expect(sumBalances([one, one, one]).balanceCents).toBe(3 * 3499);
    expect(sumBalances([]).balanceCents).toBe(0);
  });
});

describe('reversals', () => {
  const denied = {
    id: 'p1',
    claimLineId: 'l1',
    reversesLineId: null,
    allowedCents: 0,
    paidCents: 0,
    patientResponsibilityCents: 0,
    denied: true,
    adjustments: [{ group: 'CO' as const, reason: '97', amountCents: 12500 }],
  };
  const paid = {
    id: 'p2',
    claimLineId: 'l1',
    reversesLineId: null,
    allowedCents: 10000,
    paidCents: 8000,
    patientResponsibilityCents: 2000,
    denied: false,
    adjustments: PAID.adjustments,
  };

  test('negates every posting in force, keeping its denial flag', () => {
    expect(reversalOf([denied, paid])).toEqual([
      {
        claimLineId: 'l1',
        reversesLineId: 'p1',
        allowedCents: 0,
        paidCents: 0,
        patientResponsibilityCents: 0,
        denied: true,
        adjustments: [{ group: 'CO', reason: '97', amountCents: -12500 }],
      },
      {
        claimLineId: 'l1',
        reversesLineId: 'p2',
        allowedCents: -10000,
        paidCents: -8000,
        patientResponsibilityCents: -2000,
        denied: false,
        adjustments: [
          { group: 'CO', reason: '45', amountCents: -2500 },
          { group: 'PR', reason: '2', amountCents: -2000 },
        ],
      },
    ]);
  });

  test('skips postings already reversed, and reversals themselves', () => {
    const reversal = { ...reversalOf([paid])[0]!, id: 'r1' };
    expect(reversalOf([denied, paid, reversal]).map((r) => r.reversesLineId)).toEqual(['p1']);
  });

  test('a reversed claim owes its whole charge to the payer again', () => {
    const lines = [paid, ...reversalOf([paid])].map((p) => ({ paidCents: p.paidCents, denied: p.denied, adjustments: p.adjustments }));
    expect(claimBalance({ status: 'accepted', chargeCents: 12500 }, lines, 0)).toMatchObject({
      balanceCents: 12500,
      insuranceBalanceCents: 12500,
      patientBalanceCents: 0,
      payerPaidCents: 0,
    });
  });
});

describe('appeals of partial payments', () => {
  const paidLine = {
    id: 'a',
    claimLineId: 'l1',
    reversesLineId: null,
    allowedCents: 10000,
    paidCents: 8000,
    patientResponsibilityCents: 2000,
    denied: false,
    adjustments: PAID.adjustments,
  };
  const deniedLine = {
    id: 'b',
    claimLineId: 'l2',
    reversesLineId: null,
    allowedCents: 0,
    paidCents: 0,
    patientResponsibilityCents: 0,
    denied: true,
    adjustments: DENIED.adjustments,
  };

  test('the lines paid before stay settled; the denied ones are adjudicated again', () => {
    expect(settledLineIds([paidLine, deniedLine])).toEqual(new Set(['l1']));
    // A reversed payment settles nothing.
    expect(settledLineIds([paidLine, deniedLine, { ...reversalOf([paidLine])[0]!, id: 'r' }])).toEqual(new Set());
  });

  test("the appeal's remittance names only the denied lines", () => {
    const lines = [{ ...CLAIM_LINES[0]!, settled: true }, CLAIM_LINES[1]!];
    const overturned = { lineNumber: 2, allowedCents: 1500, paidCents: 1500, patientResponsibilityCents: 0, adjustments: [] };
    expect(remittanceProblem(lines, [overturned])).toBeNull();
    expect(remittanceProblem(lines, [PAID, overturned])).toMatchObject({ path: 'lines.0.lineNumber' });
    expect(adjudicatedStatus([overturned], 1)).toBe('paid');
    expect(adjudicatedStatus([DENIED], 1)).toBe('partially_paid');
    expect(adjudicatedStatus([DENIED], 0)).toBe('denied');
  });
});

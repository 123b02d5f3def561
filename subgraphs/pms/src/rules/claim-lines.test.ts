import { describe, expect, test } from 'vitest';
import { buildClaimDraft, diagnosisOrder, feeKey, lineCharge, linePointers, type DocumentedCoding } from './claim-lines.js';

const DR = 'd0000000-0000-4000-8000-000000000001';

function dx(code: string) {
  return { id: `dx-${code}`, code, description: `about ${code}` };
}

function proc(
  id: string,
  code: string,
  linked: readonly string[],
  extra: Partial<DocumentedCoding['procedures'][number]> = {},
): DocumentedCoding['procedures'][number] {
  return {
    id,
    code,
    codeSystem: 'cpt',
    display: `service ${code}`,
    units: 1,
    modifiers: [],
    performerId: DR,
    diagnoses: linked.map((c, i) => ({ id: `dx-${c}`, code: c, position: i + 1 })),
    ...extra,
  };
}

const FEES = new Map([
  [feeKey('cpt', '99213'), 12500],
  [feeKey('cpt', '36415'), 1500],
  [feeKey('hcpcs', 'J1885'), 800],
]);

describe('fee calculation', () => {
  test.each([
    [12500, 1, 12500],
    [800, 3, 2400],
    [1500, 999, 1_498_500],
    [undefined, 4, 0],
  ] as const)('a fee of %s cents times %s units is %s cents', (fee, units, charge) => {
    expect(lineCharge(fee, units)).toBe(charge);
  });

  test('keys fees by code system, so a CPT and an HCPCS code never share a fee', () => {
    expect(feeKey('cpt', 'J1885')).not.toBe(feeKey('hcpcs', 'J1885'));
  });
});

describe('diagnosis list', () => {
  test('puts the diagnoses in first-seen order: lines in order, pointers in order, then the unlinked ones, each once', () => {
    const coding = {
      diagnoses: [dx('Z00.00'), dx('I10'), dx('E11.9'), dx('R05.9')],
      procedures: [proc('p1', '99213', ['E11.9', 'I10']), proc('p2', '36415', ['I10', 'R05.9'])],
    };
    expect(diagnosisOrder(coding).map((d) => d.code)).toEqual(['E11.9', 'I10', 'R05.9', 'Z00.00']);
  });

  test('follows the linkage positions, not the order the links were listed in', () => {
    const p = {
      ...proc('p1', '99213', []),
      diagnoses: [
        { id: 'b', code: 'I10', position: 2 },
        { id: 'a', code: 'E11.9', position: 1 },
      ],
    };
    expect(diagnosisOrder({ diagnoses: [dx('I10'), dx('E11.9')], procedures: [p] }).map((d) => d.code)).toEqual(['E11.9', 'I10']);
  });

  test("points each line at its diagnoses' positions in the claim's list, at most 4", () => {
    const positions = new Map([
      ['E11.9', 1],
      ['I10', 2],
      ['R05.9', 3],
      ['J20.9', 4],
      ['Z23', 5],
    ]);
    expect(linePointers(proc('p', '99213', ['I10', 'E11.9']).diagnoses, positions)).toEqual([2, 1]);
    expect(linePointers(proc('p', '99213', ['Z23', 'J20.9', 'R05.9', 'I10', 'E11.9']).diagnoses, positions)).toEqual([5, 4, 3, 2]);
  });
});

describe('a draft claim from documented coding', () => {
  const coding: DocumentedCoding = {
    serviceDate: '2026-11-20',
    diagnoses: [dx('E11.9'), dx('I10')],
    procedures: [
      proc('p1', '99213', ['E11.9', 'I10'], { modifiers: ['25'] }),
      proc('p2', 'J1885', ['I10'], { codeSystem: 'hcpcs', units: 2 }),
    ],
  };

  test('has one line per procedure with its code, units, modifiers, date, performer, pointers and charge', () => {
    const draft = buildClaimDraft(coding, FEES, new Set([DR]));
    expect(draft.diagnoses).toEqual([
      { position: 1, code: 'E11.9', description: 'about E11.9' },
      { position: 2, code: 'I10', description: 'about I10' },
    ]);
    expect(draft.lines).toEqual([
      {
        lineNumber: 1,
        procedureId: 'p1',
        procedureCode: '99213',
        codeSystem: 'cpt',
        display: 'service 99213',
        units: 1,
        modifiers: ['25'],
        chargeCents: 12500,
        serviceDate: '2026-11-20',
        renderingProviderId: DR,
        pointers: [1, 2],
      },
      {
        lineNumber: 2,
        procedureId: 'p2',
        procedureCode: 'J1885',
        codeSystem: 'hcpcs',
        display: 'service J1885',
        units: 2,
        modifiers: [],
        chargeCents: 1600,
        serviceDate: '2026-11-20',
        renderingProviderId: DR,
        pointers: [2],
      },
    ]);
    expect(draft.totalChargeCents).toBe(14100);
    expect(draft.issues).toEqual([]);
  });

  test('charges 0 for a code without a fee and flags the line', () => {
    const draft = buildClaimDraft(
      { ...coding, procedures: [proc('p1', '99213', ['E11.9']), proc('p2', '93000', ['I10'])] },
      FEES,
      new Set([DR]),
    );
    expect(draft.lines.map((l) => l.chargeCents)).toEqual([12500, 0]);
    expect(draft.totalChargeCents).toBe(12500);
    expect(draft.issues).toEqual([{ code: 'NO_FEE', message: 'No fee scheduled for 93000 on 2026-11-20; charged 0', lineNumber: 2 }]);
  });

  test('keeps 12 diagnoses and records the rest as an issue on the claim, dropping pointers to them', () => {
    const codes = Array.from({ length: 14 }, (_, i) => `R${String(10 + i)}.0`);
    const procedures = [0, 1, 2, 3].map((n) => proc(`p${n}`, '99213', codes.slice(n * 4, n * 4 + 4)));
    const draft = buildClaimDraft({ serviceDate: '2026-11-20', diagnoses: codes.map(dx), procedures }, FEES, new Set([DR]));
    expect(draft.diagnoses).toHaveLength(12);
    expect(draft.diagnoses.at(-1)).toMatchObject({ position: 12, code: 'R21.0' });
    expect(draft.lines.map((l) => l.pointers)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], []]);
    expect(draft.issues).toEqual([
      { code: 'TOO_MANY_DIAGNOSES', message: '14 diagnoses documented; a claim holds 12: left off R22.0, R23.0', lineNumber: null },
    ]);
  });

  test('flags a performer the practice does not know, and still bills the line', () => {
    const draft = buildClaimDraft(coding, FEES, new Set());
    expect(draft.lines).toHaveLength(2);
    expect(draft.issues.map((i) => [i.code, i.lineNumber])).toEqual([
      ['UNKNOWN_RENDERING_PROVIDER', 1],
      ['UNKNOWN_RENDERING_PROVIDER', 2],
    ]);
  });

  test('makes an empty claim from documentation without procedures', () => {
    expect(buildClaimDraft({ serviceDate: '2026-11-20', diagnoses: [dx('I10')], procedures: [] }, FEES, new Set())).toEqual({
      diagnoses: [{ position: 1, code: 'I10', description: 'about I10' }],
      lines: [],
      totalChargeCents: 0,
      issues: [],
    });
  });
});

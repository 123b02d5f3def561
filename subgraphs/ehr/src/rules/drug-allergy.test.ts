import { describe, expect, test } from 'vitest';
import { describeConflict, findDrugAllergyConflicts, requiresOverrideReason, type ChartAllergy } from './drug-allergy.js';

const allergy = (over: Partial<ChartAllergy> & Pick<ChartAllergy, 'substance'>): ChartAllergy => ({
  id: `a-${over.substance}`,
  allergenClass: null,
  severity: 'moderate',
  status: 'active',
  ...over,
});

describe('drug-allergy conflicts', () => {
  test.each([
    ['the same substance', 'Penicillin', 'penicillin V potassium', 'substance'],
    ['an ingredient of a combination', 'Amoxicillin', 'Amoxicillin-clavulanate', 'substance'],
    ['a class-level match, penicillin allergy against amoxicillin', 'Penicillin', 'amoxicillin', 'class'],
    ['a class-level match, sulfa allergy against co-trimoxazole', 'Sulfa drugs', 'sulfamethoxazole/trimethoprim', 'class'],
    ['a class-level match, aspirin allergy against ibuprofen', 'Aspirin', 'Ibuprofen', 'class'],
    ['a class-level match, codeine allergy against morphine', 'Codeine', 'morphine sulfate', 'class'],
  ] as const)('finds %s', (_case, substance, drug, match) => {
    const conflicts = findDrugAllergyConflicts({ name: drug, drugClass: null }, [allergy({ substance })]);
    expect(conflicts).toEqual([expect.objectContaining({ allergyId: `a-${substance}`, match })]);
  });

  test('uses the recorded allergen class over the table', () => {
    const conflicts = findDrugAllergyConflicts({ name: 'Cefalexin', drugClass: 'Cephalosporins' }, [
      allergy({ substance: 'Keflex', allergenClass: 'cephalosporins' }),
    ]);
    expect(conflicts).toEqual([
      { allergyId: 'a-Keflex', substance: 'Keflex', match: 'class', sharedClass: 'cephalosporins', severity: 'moderate' },
    ]);
  });

  test("uses the prescriber's drug class as well as the ingredients' classes", () => {
    const conflicts = findDrugAllergyConflicts({ name: 'Brandomycin', drugClass: 'macrolides' }, [allergy({ substance: 'Erythromycin' })]);
    expect(conflicts.map((c) => c.match)).toEqual(['class']);
  });

  test.each([
    ['a resolved allergy', allergy({ substance: 'Penicillin', status: 'resolved' })],
    ['an inactive allergy', allergy({ substance: 'Penicillin', status: 'inactive' })],
    ['an allergy of another class', allergy({ substance: 'Codeine' })],
    ['a food allergy', allergy({ substance: 'Peanut' })],
    ['an unknown substance with no class', allergy({ substance: 'Mango' })],
  ])('finds none for %s', (_case, a) => {
    expect(findDrugAllergyConflicts({ name: 'amoxicillin', drugClass: null }, [a])).toEqual([]);
  });

  test('does not match a substance by part of a word', () => {
    expect(findDrugAllergyConflicts({ name: 'Eggplant extract', drugClass: null }, [allergy({ substance: 'Egg' })])).toEqual([]);
  });

  test('reports one conflict per allergy, as severe as the allergy', () => {
    const conflicts = findDrugAllergyConflicts({ name: 'amoxicillin', drugClass: null }, [
      allergy({ substance: 'Amoxicillin', severity: 'mild' }),
      allergy({ substance: 'Penicillin', severity: 'severe' }),
    ]);
    expect(conflicts.map((c) => [c.substance, c.match, c.severity])).toEqual([
      ['Amoxicillin', 'substance', 'mild'],
      ['Penicillin', 'class', 'severe'],
    ]);
  });
});

describe('overriding', () => {
  test.each([
    ['severe', true],
    ['moderate', false],
    ['mild', false],
    [null, false],
  ] as const)('a conflict with a %s allergy requires a reason: %s', (severity, required) => {
    const conflicts = findDrugAllergyConflicts({ name: 'amoxicillin', drugClass: null }, [allergy({ substance: 'Penicillin', severity })]);
    expect(requiresOverrideReason(conflicts)).toBe(required);
  });

  test('no conflict requires nothing', () => {
    expect(requiresOverrideReason([])).toBe(false);
  });
});

test('describes a conflict in one sentence', () => {
  const [byClass] = findDrugAllergyConflicts({ name: 'Amoxicillin', drugClass: null }, [
    allergy({ substance: 'Penicillin', severity: 'severe' }),
  ]);
  expect(describeConflict('Amoxicillin', byClass!)).toBe(
    "Amoxicillin is in the penicillins class, like Penicillin, a severe allergy on the patient's chart",
  );
  const [bySubstance] = findDrugAllergyConflicts({ name: 'Codeine', drugClass: null }, [allergy({ substance: 'Codeine', severity: null })]);
  expect(describeConflict('Codeine', bySubstance!)).toBe("Codeine contains Codeine, an allergy on the patient's chart");
});

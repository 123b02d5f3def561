import { describe, expect, test } from 'vitest';
import { categoryOf, drugAllergyStatus, type AllergyOnChart } from './allergy-status.js';

const on = (
  substance: string,
  status: AllergyOnChart['status'] = 'active',
  category: AllergyOnChart['category'] = null,
): AllergyOnChart => ({ substance, status, category });

describe("a patient's drug-allergy status", () => {
  test.each([
    ['nothing recorded', [], false, 'unknown'],
    ['no known drug allergies recorded', [], true, 'no_known_drug_allergies'],
    ['an active drug allergy', [on('Penicillin')], false, 'has_allergies'],
    ['an active drug allergy after a statement of none', [on('Penicillin')], true, 'has_allergies'],
    ['only a food allergy', [on('Peanut')], false, 'unknown'],
    ['a food allergy and no known drug allergies', [on('Peanut')], true, 'no_known_drug_allergies'],
    ['only a resolved drug allergy', [on('Penicillin', 'resolved')], false, 'unknown'],
    ['an active allergy to an unknown substance', [on('Mango')], true, 'has_allergies'],
    ['an unknown substance recorded as a food', [on('Mango', 'active', 'food')], true, 'no_known_drug_allergies'],
  ] as const)('with %s is %s', (_case, allergies, nkda, status) => {
    expect(drugAllergyStatus(allergies, nkda)).toBe(status);
  });

  test('a recorded category wins over the table', () => {
    expect(categoryOf({ substance: 'Penicillin', category: 'biologic' })).toBe('biologic');
    expect(categoryOf({ substance: 'Latex', category: null })).toBe('environment');
  });
});

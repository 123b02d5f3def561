import { describe, expect, test } from 'vitest';
import { classifyAllergen, drugClassOf, drugClassesOf, normalizeTerm } from './drug-classes.js';

describe('the curated drug and allergen tables', () => {
  test.each([
    ['amoxicillin', 'penicillins'],
    ['Ampicillin', 'penicillins'],
    ['penicillin V potassium', 'penicillins'],
    ['Ibuprofen 400 mg', 'nsaids'],
    ['naproxen sodium', 'nsaids'],
    ['aspirin', 'nsaids'],
    ['sulfamethoxazole-trimethoprim', 'sulfonamides'],
    ['Acetaminophen with codeine', 'opioids'],
    ['morphine', 'opioids'],
    ['NSAIDs', 'nsaids'],
    ['metformin', null],
  ])('%s is in class %s', (drug, drugClass) => expect(drugClassOf(drug)).toBe(drugClass));

  test("gives every known ingredient's class of a combination, once each", () => {
    expect(drugClassesOf('hydrocodone/ibuprofen')).toEqual(['opioids', 'nsaids']);
    expect(drugClassesOf('amoxicillin and ampicillin')).toEqual(['penicillins']);
  });

  test.each([
    ['Penicillin', 'penicillins', 'medication'],
    ['Sulfa drugs', 'sulfonamides', 'medication'],
    ['Codeine', 'opioids', 'medication'],
    ['Peanut', 'peanuts', 'food'],
    ['Shellfish', 'shellfish', 'food'],
    ['Latex', 'latex', 'environment'],
    ['Mango', null, null],
  ])('classifies the allergen %s as %s (%s)', (substance, allergenClass, category) => {
    expect(classifyAllergen(substance)).toEqual({ allergenClass, category });
  });

  test('normalizes names and classes the same way', () => {
    expect(normalizeTerm('  ACE   Inhibitors ')).toBe('ace inhibitors');
  });

  test('classifies an allergen recorded by its class name', () => {
    expect(classifyAllergen('Penicillins')).toEqual({ allergenClass: 'penicillins', category: 'medication' });
    expect(classifyAllergen('peanuts')).toEqual({ allergenClass: 'peanuts', category: 'food' });
  });
});

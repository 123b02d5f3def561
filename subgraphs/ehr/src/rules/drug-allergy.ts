import type { AllergySeverity, AllergyStatus } from '@chartbridge/db';
import { classifyAllergen, drugClassesOf, normalizeTerm, wordsOf } from './drug-classes.js';

/** What the drug-allergy check needs of an allergy on the chart. */
export interface ChartAllergy {
  readonly id: string;
  readonly substance: string;
  /** The recorded class; when null, the class is derived from the substance. */
  readonly allergenClass: string | null;
  readonly severity: AllergySeverity | null;
  readonly status: AllergyStatus;
}

/** The drug about to be prescribed. */
export interface DrugToCheck {
  readonly name: string;
  /** The class the prescriber gave or the table derived; the ingredients' own classes are checked too. */
  readonly drugClass: string | null;
}

/**
 * A conflict between a drug and an active allergy. `match` says how: the drug contains the allergen
 * itself (`substance`), or belongs to its class (`class`, e.g. amoxicillin against a penicillin
 * allergy). The conflict is as severe as the allergy.
 */
export interface DrugAllergyConflict {
  readonly allergyId: string;
  readonly substance: string;
  readonly match: 'substance' | 'class';
  /** The class both share, for a class-level match; null for a substance match. */
  readonly sharedClass: string | null;
  readonly severity: AllergySeverity | null;
}

/** Whether every word of the allergen appears in the drug's name (`Penicillin` in `Penicillin V potassium`). */
function containsSubstance(drugWords: ReadonlySet<string>, substance: string): boolean {
  const words = wordsOf(substance);
  return words.length > 0 && words.every((word) => drugWords.has(word));
}

/**
 * The conflicts between a drug and a patient's allergies: one per active allergy whose substance
 * the drug contains, or whose class (recorded, else derived from the substance) is a class of the
 * drug (given, or of any of its known ingredients). Inactive and resolved allergies never conflict.
 * Pure; never throws.
 */
export function findDrugAllergyConflicts(drug: DrugToCheck, allergies: readonly ChartAllergy[]): DrugAllergyConflict[] {
  const drugWords = new Set(wordsOf(drug.name));
  const drugClasses = new Set(drugClassesOf(drug.name));
  if (drug.drugClass) drugClasses.add(normalizeTerm(drug.drugClass));
  const conflicts: DrugAllergyConflict[] = [];
  for (const allergy of allergies) {
    if (allergy.status !== 'active') continue;
    const base = { allergyId: allergy.id, substance: allergy.substance, severity: allergy.severity };
    if (containsSubstance(drugWords, allergy.substance)) {
      conflicts.push({ ...base, match: 'substance', sharedClass: null });
      continue;
    }
    const allergenClass = allergy.allergenClass ? normalizeTerm(allergy.allergenClass) : classifyAllergen(allergy.substance).allergenClass;
    if (allergenClass && drugClasses.has(allergenClass)) conflicts.push({ ...base, match: 'class', sharedClass: allergenClass });
  }
  return conflicts;
}

/** A conflict with a severe allergy may only be overridden with a stated reason. */
export function requiresOverrideReason(conflicts: readonly DrugAllergyConflict[]): boolean {
  return conflicts.some((c) => c.severity === 'severe');
}

/** One sentence for the prescriber, naming the drug, the allergy and how they match. */
export function describeConflict(drugName: string, conflict: DrugAllergyConflict): string {
  const allergy = conflict.severity ? `a ${conflict.severity} allergy` : 'an allergy';
  return conflict.match === 'substance'
    ? `${drugName} contains ${conflict.substance}, ${allergy} on the patient's chart`
    : `${drugName} is in the ${conflict.sharedClass} class, like ${conflict.substance}, ${allergy} on the patient's chart`;
}

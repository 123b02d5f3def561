import type { AllergyCategory, AllergyStatus } from '@chartbridge/db';
import { classifyAllergen } from './drug-classes.js';

/**
 * A patient's drug-allergy status. "No known drug allergies" is something a clinician asked about
 * and recorded, not the absence of rows: a chart with no allergy and no such statement is `unknown`.
 */
export type DrugAllergyStatus = 'unknown' | 'no_known_drug_allergies' | 'has_allergies';

/** What the status needs of an allergy on the chart. */
export interface AllergyOnChart {
  readonly substance: string;
  /** The recorded category; null for rows recorded before categories were. */
  readonly category: AllergyCategory | null;
  readonly status: AllergyStatus;
}

/**
 * An allergy's category: the recorded one, else derived from the substance; an unknown substance
 * with no category counts as a medication, so that it can never hide behind "no known drug
 * allergies".
 */
export function categoryOf(allergy: Pick<AllergyOnChart, 'substance' | 'category'>): AllergyCategory {
  return allergy.category ?? classifyAllergen(allergy.substance).category ?? 'medication';
}

export function isActiveDrugAllergy(allergy: AllergyOnChart): boolean {
  return allergy.status === 'active' && categoryOf(allergy) === 'medication';
}

/**
 * The status from the chart: any active drug allergy makes it `has_allergies`, whatever was stated
 * before; otherwise a recorded "no known drug allergies" statement; otherwise `unknown`. Food and
 * environmental allergies, and resolved drug allergies, leave it as it is.
 */
export function drugAllergyStatus(allergies: readonly AllergyOnChart[], noKnownDrugAllergiesRecorded: boolean): DrugAllergyStatus {
  if (allergies.some(isActiveDrugAllergy)) return 'has_allergies';
  return noKnownDrugAllergiesRecorded ? 'no_known_drug_allergies' : 'unknown';
}

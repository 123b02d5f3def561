import type { MedicationRoute } from '@chartbridge/db';

/**
 * RxNorm concept unique identifier (RXCUI): a number, 1 to 8 digits in practice (NLM, RxNorm
 * Technical Documentation, "RXCUI"). Format only: whether the concept exists is RxNorm's business.
 */
export function isRxNormCode(code: string): boolean {
  return /^[0-9]{1,8}$/.test(code);
}

/** Routes of administration, by their usual prescription abbreviations, with what each means. */
export const MEDICATION_ROUTES: Readonly<Record<MedicationRoute, string>> = {
  PO: 'By mouth',
  SL: 'Sublingual',
  IV: 'Intravenous',
  IM: 'Intramuscular',
  SC: 'Subcutaneous',
  ID: 'Intradermal',
  TOP: 'Topical',
  TD: 'Transdermal',
  INH: 'Inhaled',
  NAS: 'Nasal',
  OPH: 'Ophthalmic',
  OTIC: 'Otic (ear)',
  PR: 'Rectal',
  PV: 'Vaginal',
};

/**
 * Refills a prescription may carry: 0 to 11, the most a non-controlled prescription valid for a year
 * can have at a monthly fill (state pharmacy law commonly caps validity at one year).
 */
export const MAX_REFILLS = 11;

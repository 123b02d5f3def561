/**
 * CVX, the CDC's codes for vaccines administered (CDC National Center for Immunization and
 * Respiratory Diseases, "IIS: HL7 Standard Code Set CVX -- Vaccines Administered",
 * https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx): one to three digits.
 */
export function isCvxCode(code: string): boolean {
  return /^\d{1,3}$/.test(code);
}

/**
 * Seasonal influenza vaccines: the CVX codes the CDC's vaccine-group table maps to the FLU group
 * (https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=vg), without the pandemic
 * monovalent ones (H1N1 2009: 125-128; H5N1: 123, 160), which are not a seasonal dose.
 * 88 and 151 are "unspecified formulation", used for historical records.
 */
export const SEASONAL_INFLUENZA_CVX: ReadonlySet<string> = new Set([
  '15', // influenza, split (incl. purified surface antigen)
  '16', // influenza, whole
  '88', // influenza, unspecified formulation
  '111', // influenza, live, intranasal
  '135', // influenza, high dose seasonal
  '140', // influenza, seasonal, injectable, preservative free
  '141', // influenza, seasonal, injectable
  '144', // influenza, seasonal, intradermal, preservative free
  '149', // influenza, live, intranasal, quadrivalent
  '150', // influenza, injectable, quadrivalent, preservative free
  '151', // influenza nasal, unspecified formulation
  '153', // influenza, injectable, MDCK, preservative free
  '155', // influenza, recombinant, injectable, preservative free
  '158', // influenza, injectable, quadrivalent
  '161', // influenza, injectable, quadrivalent, preservative free, pediatric
  '166', // influenza, intradermal, quadrivalent, preservative free
  '168', // influenza, trivalent, adjuvanted
  '171', // influenza, injectable, MDCK, preservative free, quadrivalent
  '185', // influenza, recombinant, quadrivalent, injectable, preservative free
  '186', // influenza, injectable, MDCK, quadrivalent, preservative
  '197', // influenza, high-dose, quadrivalent
  '200', // influenza, Southern Hemisphere, pediatric, preservative free
  '201', // influenza, Southern Hemisphere, preservative free
  '202', // influenza, Southern Hemisphere, quadrivalent, with preservative
  '205', // influenza, quadrivalent, adjuvanted
]);

/** Whether a CVX code is a seasonal influenza vaccine (leading zeros ignored: "088" is 88). */
export function isSeasonalInfluenzaVaccine(cvxCode: string): boolean {
  return isCvxCode(cvxCode) && SEASONAL_INFLUENZA_CVX.has(String(Number(cvxCode)));
}

/**
 * Code formats of the clinical code systems (docs/PRACTICE-DOMAIN.md, "Code sets and their validation").
 * Format only: whether a code exists is the reference tables' business (ICD-10-CM and HCPCS; CPT has
 * no table here, its descriptions being copyrighted).
 */

/**
 * ICD-10-CM: a letter, a digit, an alphanumeric, then optionally a dot and up to four more
 * alphanumerics (CMS, ICD-10-CM Official Guidelines for Coding and Reporting, Section I.A).
 */
export function isIcd10Cm(code: string): boolean {
  return /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(code);
}

/** CPT: five digits, or four digits and F (performance measures), T (emerging technology) or U (lab tests). */
export function isCpt(code: string): boolean {
  return /^[0-9]{4}[0-9FTU]$/.test(code);
}

/** HCPCS Level II: a letter from A to V and four digits (CMS HCPCS Level II code set). */
export function isHcpcs(code: string): boolean {
  return /^[A-V][0-9]{4}$/.test(code);
}

/** A CPT/HCPCS modifier: two characters, letters or digits (e.g. 25, 59, LT, RT, XS). */
export function isModifier(code: string): boolean {
  return /^[0-9A-Z]{2}$/.test(code);
}

/** The billing code system a procedure code belongs to, by its shape; undefined when neither. */
export function procedureCodeSystem(code: string): 'cpt' | 'hcpcs' | undefined {
  if (isCpt(code)) return 'cpt';
  if (isHcpcs(code)) return 'hcpcs';
  return undefined;
}

/** Normalizes a code as typed by people: trimmed, upper case; ICD-10-CM with its dot after the third character. */
export function normalizeIcd10Cm(input: string): string {
  const code = input.trim().toUpperCase().replace('.', '');
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

/**
 * LOINC codes: one to seven digits, a hyphen and a Mod 10 check digit (LOINC Users' Guide,
 * section 12 C, "Calculating Mod 10 Check Digits", https://loinc.org/kb/users-guide/calculating-mod-10-check-digits/).
 */
const LOINC_FORMAT = /^(\d{1,7})-(\d)$/;

/**
 * The LOINC Mod 10 check digit of a code's digits (the part before the hyphen), per the Users'
 * Guide: counting from the right, the digits in odd positions form a number that is doubled; the
 * digits in even positions are written in front of that product; the check digit is what the sum
 * of all those digits lacks to reach the next multiple of ten (0 when it is one already).
 * Worked example from the guide: 12345 gives 5.
 */
export function loincCheckDigit(digits: string): number {
  if (!/^\d{1,7}$/.test(digits)) throw new RangeError('A LOINC check digit needs one to seven digits');
  const fromRight = [...digits].reverse();
  const odd = fromRight
    .filter((_, i) => i % 2 === 0)
    .reverse()
    .join('');
  const even = fromRight
    .filter((_, i) => i % 2 === 1)
    .reverse()
    .join('');
  const joined = `${even}${String(Number(odd) * 2)}`;
  const sum = [...joined].reduce((total, d) => total + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

/**
 * True when `code` has the LOINC shape and its check digit matches. The fourteen deprecated codes
 * the Users' Guide lists as having wrong check digits (11491-6, 5895-7, ...) are refused: they were
 * retired as duplicates, so no new order should use them.
 */
export function isValidLoinc(code: string): boolean {
  const match = LOINC_FORMAT.exec(code);
  return match !== null && loincCheckDigit(match[1] as string) === Number(match[2]);
}

/** Whether `code` has the LOINC shape, whatever its check digit (to tell a typo from a malformed code). */
export function hasLoincFormat(code: string): boolean {
  return LOINC_FORMAT.test(code);
}

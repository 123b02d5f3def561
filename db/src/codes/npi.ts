/**
 * National Provider Identifier check digit: the Luhn formula over the nine identifier digits
 * prefixed with 80840 (the health-industry prefix of ISO 7812), per the CMS NPI standard.
 */
export function npiCheckDigit(firstNineDigits: string): number {
  if (!/^[0-9]{9}$/.test(firstNineDigits)) throw new RangeError('An NPI check digit needs nine digits');
  const digits = `80840${firstNineDigits}`;
  let sum = 0;
  // Walk right to left; the rightmost of these digits sits next to the check digit, so it is doubled.
  for (let i = digits.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `npi` is ten digits whose last one is the Luhn check digit of the first nine. */
export function isValidNpi(npi: string): boolean {
  return /^[0-9]{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === Number(npi[9]);
}

/** Decimal places of a report's computed values (rates and days). */
export const VALUE_PLACES = 4;

/**
 * `numerator × multiplier ÷ denominator` as a decimal string with `places` places, rounded half
 * away from zero, computed in integers (never a float); null when the denominator is not positive,
 * so an empty period gives no rate instead of a division error or a misleading 0.
 */
export function exactRatio(numerator: number, denominator: number, multiplier = 1, places = VALUE_PLACES): string | null {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || !Number.isSafeInteger(multiplier)) {
    throw new RangeError('exactRatio takes whole numbers');
  }
  if (denominator <= 0) return null;
  const scale = 10n ** BigInt(places);
  const n = BigInt(numerator) * BigInt(multiplier) * scale;
  const d = BigInt(denominator);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const rounded = (abs * 2n + d) / (2n * d);
  const whole = rounded / scale;
  const fraction = (rounded % scale).toString().padStart(places, '0');
  return `${negative && rounded !== 0n ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

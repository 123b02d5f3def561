/**
 * Vital signs: unit conversions to the stored units, plausibility limits, and the body mass index.
 * Units are UCUM codes (https://ucum.org/ucum): `mm[Hg]`, `/min`, `Cel`, `[degF]`, `kg`, `[lb_av]`,
 * `cm`, `[in_i]`, `kg/m2`.
 */

export type TemperatureUnit = 'CEL' | 'FAH';
export type WeightUnit = 'KG' | 'LB';
export type LengthUnit = 'CM' | 'IN';

/** The UCUM code of each unit the API speaks. */
export const UCUM = {
  mmHg: 'mm[Hg]',
  perMinute: '/min',
  CEL: 'Cel',
  FAH: '[degF]',
  KG: 'kg',
  LB: '[lb_av]',
  CM: 'cm',
  IN: '[in_i]',
  bmi: 'kg/m2',
} as const;

// Exact by definition: the international avoirdupois pound is 0.45359237 kg and the international
// inch 2.54 cm (international yard and pound agreement of 1959; UCUM defines [lb_av] and [in_i] so).
const KG_PER_LB = 0.45359237;
const CM_PER_IN = 2.54;

/**
 * Limits outside of which a value is surely a typing or unit error rather than a patient: wide
 * enough for neonates and for the extremes seen in emergencies. Not clinical normal ranges.
 */
export const PLAUSIBLE = {
  systolic: { min: 50, max: 300 },
  diastolic: { min: 20, max: 200 },
  heartRate: { min: 20, max: 300 },
  temperatureCel: { min: 25, max: 45 },
  weightKg: { min: 0.2, max: 500 },
  heightCm: { min: 20, max: 275 },
  bmi: { min: 5, max: 250 },
} as const;

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Celsius from the given unit, to two decimals (the stored precision). */
export function toCelsius(value: number, unit: TemperatureUnit): number {
  return roundTo(unit === 'CEL' ? value : ((value - 32) * 5) / 9, 2);
}

/** A stored Celsius value in the requested unit, to one decimal. */
export function fromCelsius(celsius: number, unit: TemperatureUnit): number {
  return roundTo(unit === 'CEL' ? celsius : (celsius * 9) / 5 + 32, 1);
}

/** Kilograms from the given unit, to two decimals (the stored precision, 10 g). */
export function toKilograms(value: number, unit: WeightUnit): number {
  return roundTo(unit === 'KG' ? value : value * KG_PER_LB, 2);
}

/** A stored weight in the requested unit: kilograms as stored, pounds to one decimal. */
export function fromKilograms(kg: number, unit: WeightUnit): number {
  return unit === 'KG' ? kg : roundTo(kg / KG_PER_LB, 1);
}

/** Centimetres from the given unit, to one decimal (the stored precision). */
export function toCentimetres(value: number, unit: LengthUnit): number {
  return roundTo(unit === 'CM' ? value : value * CM_PER_IN, 1);
}

/** A stored height in the requested unit: centimetres as stored, inches to one decimal. */
export function fromCentimetres(cm: number, unit: LengthUnit): number {
  return unit === 'CM' ? cm : roundTo(cm / CM_PER_IN, 1);
}

/**
 * Body mass index: weight in kilograms over the square of height in metres (WHO; CDC, "About Adult
 * BMI"), to one decimal.
 */
export function bodyMassIndex(weightKg: number, heightCm: number): number {
  const metres = heightCm / 100;
  return roundTo(weightKg / (metres * metres), 1);
}

export function isWithin(value: number, range: { readonly min: number; readonly max: number }): boolean {
  return Number.isFinite(value) && value >= range.min && value <= range.max;
}

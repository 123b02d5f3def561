import { appendAudit, inTransaction, type VitalSignsRow } from '@chartbridge/db';
import { ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findLatestHeightCm, insertVitalSigns } from '../data/vitals.repository.js';
import {
  PLAUSIBLE,
  bodyMassIndex,
  fromCelsius,
  fromCentimetres,
  fromKilograms,
  isWithin,
  toCelsius,
  toCentimetres,
  toKilograms,
  type LengthUnit,
  type TemperatureUnit,
  type WeightUnit,
} from '../rules/vital-signs.js';
import { chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';
import { isNotInFuture } from './observation-input.js';

/** One set of vital signs as entered: any measurements, each with the unit it was taken in. */
export interface RecordVitalsInput {
  readonly patientId: string;
  readonly encounterId: string | null;
  /** When they were taken; now when not given. */
  readonly takenAt: Date | null;
  readonly systolic: number | null;
  readonly diastolic: number | null;
  readonly heartRate: number | null;
  readonly temperature: number | null;
  readonly temperatureUnit: TemperatureUnit | null;
  readonly weight: number | null;
  readonly weightUnit: WeightUnit | null;
  readonly height: number | null;
  readonly heightUnit: LengthUnit | null;
}

/** The measurements in their stored units, once checked. */
interface Measurements {
  readonly systolic: number | null;
  readonly diastolic: number | null;
  readonly heartRate: number | null;
  readonly temperatureCel: number | null;
  readonly weightKg: number | null;
  readonly heightCm: number | null;
}

function outOfRange(field: string, what: string, range: { min: number; max: number }, unit: string): ValidationError {
  return new ValidationError(`${what} must be from ${range.min} to ${range.max} ${unit}`, `input.${field}`);
}

/** A measured quantity with its unit: both or neither; the value converted, then checked against the plausible range. */
function checkQuantity<U extends string>(
  value: number | null,
  unit: U | null,
  names: { readonly field: string; readonly unitField: string; readonly what: string; readonly units: string },
  convert: (value: number, unit: U) => number,
  back: (stored: number, unit: U) => number,
  range: { readonly min: number; readonly max: number },
): number | null | ValidationError {
  if (value === null && unit === null) return null;
  if (value === null) return new ValidationError(`${names.unitField} was given without a ${names.what}`, `input.${names.field}`);
  if (unit === null) return new ValidationError(`A ${names.what} needs its unit (${names.units})`, `input.${names.unitField}`);
  const stored = convert(value, unit);
  if (!isWithin(stored, range))
    return outOfRange(names.field, `A ${names.what}`, { min: back(range.min, unit), max: back(range.max, unit) }, unit);
  return stored;
}

function checkInput(input: RecordVitalsInput, now: Date): Measurements | ValidationError {
  if (input.takenAt !== null && !isNotInFuture(input.takenAt, now)) return new ValidationError('takenAt is in the future', 'input.takenAt');
  if ((input.systolic === null) !== (input.diastolic === null)) {
    return new ValidationError(
      'A blood pressure needs both its systolic and diastolic values',
      input.systolic === null ? 'input.systolic' : 'input.diastolic',
    );
  }
  for (const [field, value, range, what] of [
    ['systolic', input.systolic, PLAUSIBLE.systolic, 'A systolic pressure'],
    ['diastolic', input.diastolic, PLAUSIBLE.diastolic, 'A diastolic pressure'],
    ['heartRate', input.heartRate, PLAUSIBLE.heartRate, 'A heart rate'],
  ] as const) {
    if (value !== null && (!Number.isInteger(value) || !isWithin(value, range)))
      return outOfRange(field, `${what} (a whole number)`, range, field === 'heartRate' ? '/min' : 'mmHg');
  }
  if (input.systolic !== null && input.diastolic !== null && input.diastolic >= input.systolic) {
    return new ValidationError('The diastolic pressure must be below the systolic', 'input.diastolic');
  }
  const temperatureCel = checkQuantity(
    input.temperature,
    input.temperatureUnit,
    { field: 'temperature', unitField: 'temperatureUnit', what: 'temperature', units: 'CEL or FAH' },
    toCelsius,
    fromCelsius,
    PLAUSIBLE.temperatureCel,
  );
  if (temperatureCel instanceof ValidationError) return temperatureCel;
  const weightKg = checkQuantity(
    input.weight,
    input.weightUnit,
    { field: 'weight', unitField: 'weightUnit', what: 'weight', units: 'KG or LB' },
    toKilograms,
    fromKilograms,
    PLAUSIBLE.weightKg,
  );
  if (weightKg instanceof ValidationError) return weightKg;
  const heightCm = checkQuantity(
    input.height,
    input.heightUnit,
    { field: 'height', unitField: 'heightUnit', what: 'height', units: 'CM or IN' },
    toCentimetres,
    fromCentimetres,
    PLAUSIBLE.heightCm,
  );
  if (heightCm instanceof ValidationError) return heightCm;
  if (input.systolic === null && input.heartRate === null && temperatureCel === null && weightKg === null && heightCm === null) {
    return new ValidationError('Record at least one measurement', 'input');
  }
  if (weightKg !== null && heightCm !== null && !isWithin(bodyMassIndex(weightKg, heightCm), PLAUSIBLE.bmi)) {
    return new ValidationError('This weight and height give an implausible body mass index; check their units', 'input.height');
  }
  return { systolic: input.systolic, diastolic: input.diastolic, heartRate: input.heartRate, temperatureCel, weightKg, heightCm };
}

/**
 * Records a set of vital signs (clinicians and nurses). Measurements are converted to the stored
 * units (Celsius, kilograms, centimetres) and checked against plausible limits, so a Fahrenheit
 * reading sent as Celsius is refused, not stored. The body mass index is derived when there is a
 * weight and a height: the one given, else the patient's latest height on the chart (an old height
 * that gives an implausible index is not used, and the index stays empty). The PMS must know the
 * patient, and the encounter when one is named, for this patient. The row and its audit record are written in one
 * transaction.
 */
export async function recordVitals(ctx: EhrContext, input: RecordVitalsInput, now = new Date()): Promise<VitalSignsRow | MutationError> {
  const measured = checkInput(input, now);
  if (measured instanceof ValidationError) return measured;
  const { patientId, encounterId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'vitals.record', patientId, { entityType: 'vital_signs' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'vitals.record'),
    encounterId === null ? null : requireEncounter(ctx, encounterId, 'input.encounterId', 'vitals.record'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (encounter !== null && !('patientId' in encounter)) return encounter;
  if (encounter !== null && encounter.patientId !== patientId) {
    return new ValidationError("This encounter is another patient's", 'input.encounterId');
  }
  const takenAt = input.takenAt ?? now;
  return inTransaction(ctx.db, async (trx) => {
    let bmi: number | null = null;
    if (measured.weightKg !== null) {
      const stored = measured.heightCm === null ? await findLatestHeightCm(trx, patientId, takenAt) : null;
      const heightCm = measured.heightCm ?? (stored === null ? null : Number(stored));
      const index = heightCm === null ? null : bodyMassIndex(measured.weightKg, heightCm);
      bmi = index !== null && isWithin(index, PLAUSIBLE.bmi) ? index : null;
    }
    const vitals = await insertVitalSigns(trx, {
      patient_id: patientId,
      encounter_id: encounterId,
      taken_at: takenAt,
      systolic_mmhg: measured.systolic,
      diastolic_mmhg: measured.diastolic,
      heart_rate_per_min: measured.heartRate,
      temperature_cel: measured.temperatureCel,
      weight_kg: measured.weightKg,
      height_cm: measured.heightCm,
      bmi,
      recorded_by: ctx.access.identity.subject,
    });
    const entity = { entityType: 'vital_signs', entityId: vitals.id, patientId };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'vitals.record', before: null, after: vitals })]);
    return vitals;
  });
}

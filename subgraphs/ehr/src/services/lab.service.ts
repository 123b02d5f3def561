import { appendAudit, inTransaction, type LabFlag, type LabOrderRow, type LabResultRow } from '@chartbridge/db';
import { ConflictError, NotFoundError, ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { insertLabOrder, insertLabResult, lockLabOrder, markLabOrderResulted } from '../data/lab.repository.js';
import { computeFlag, isCriticalFlag } from '../rules/lab-flags.js';
import { hasLoincFormat, isValidLoinc, loincCheckDigit } from '../rules/loinc.js';
import { authorizeOnRow, chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';
import { isNotInFuture, text } from './observation-input.js';

const MAX_NAME = 200;
const MAX_TEXT_VALUE = 1000;
const MAX_UNIT = 30;

export interface OrderLabInput {
  readonly patientId: string;
  readonly encounterId: string;
  readonly orderingProviderId: string;
  readonly loincCode: string;
  readonly testName: string;
}

export interface RecordLabResultInput {
  readonly orderId: string;
  /** The observation's own code, for a panel's members; the order's code when not given. */
  readonly loincCode: string | null;
  readonly numericValue: number | null;
  readonly textValue: string | null;
  /** UCUM unit of a numeric value (`mmol/L`); required with one. */
  readonly unit: string | null;
  readonly referenceLow: number | null;
  readonly referenceHigh: number | null;
  readonly criticalLow: number | null;
  readonly criticalHigh: number | null;
  /** The laboratory's flag; computed from the limits when not given. */
  readonly flag: LabFlag | null;
  /** Whether the laboratory called it critical; from the flag (LL, HH) when not given. */
  readonly critical: boolean | null;
  /** When the specimen was observed; now when not given. */
  readonly observedAt: Date | null;
}

function checkLoinc(code: string, field: string): ValidationError | undefined {
  if (!hasLoincFormat(code))
    return new ValidationError(`${JSON.stringify(code)} is not a LOINC code (1 to 7 digits, a hyphen and a check digit)`, field);
  if (!isValidLoinc(code)) {
    const digits = code.slice(0, code.indexOf('-'));
    return new ValidationError(`${code} fails the LOINC check digit (expected ${digits}-${loincCheckDigit(digits)})`, field);
  }
  return undefined;
}

function checkOrder(input: OrderLabInput): ValidationError | undefined {
  const invalidCode = checkLoinc(input.loincCode, 'input.loincCode');
  if (invalidCode) return invalidCode;
  const name = text(input.testName);
  if (name === '' || name.length > MAX_NAME) return new ValidationError(`testName must have 1 to ${MAX_NAME} characters`, 'input.testName');
  return undefined;
}

/**
 * Orders a lab test for an encounter (clinicians and nurses). The PMS must know the patient and the
 * encounter, for this patient, and it must not be cancelled. The order and its audit record are written in one
 * transaction.
 */
export async function orderLab(ctx: EhrContext, input: OrderLabInput): Promise<LabOrderRow | MutationError> {
  const invalid = checkOrder(input);
  if (invalid) return invalid;
  const { patientId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'lab.order', patientId, { entityType: 'lab_order' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'lab.order'),
    requireEncounter(ctx, input.encounterId, 'input.encounterId', 'lab.order'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (!('patientId' in encounter)) return encounter;
  if (encounter.patientId !== patientId) return new ValidationError("This encounter is another patient's", 'input.encounterId');
  if (encounter.status.toLowerCase() === 'cancelled') return new ConflictError('This encounter was cancelled', 'input.encounterId');
  return inTransaction(ctx.db, async (trx) => {
    const order = await insertLabOrder(trx, {
      patient_id: patientId,
      encounter_id: encounter.id,
      ordering_provider_id: input.orderingProviderId,
      loinc_code: input.loincCode,
      test_name: text(input.testName),
      ordered_by: ctx.access.identity.subject,
    });
    const entity = { entityType: 'lab_order', entityId: order.id, patientId };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'lab.order', before: null, after: order })]);
    return order;
  });
}

/** The result's value and flags once checked, ready to store. */
interface CheckedResult {
  readonly numericValue: number | null;
  readonly textValue: string | null;
  readonly unit: string | null;
  readonly flag: LabFlag | null;
  readonly critical: boolean;
}

function isFiniteOrNull(value: number | null): boolean {
  return value === null || Number.isFinite(value);
}

function checkResult(input: RecordLabResultInput, now: Date): CheckedResult | ValidationError {
  if (input.loincCode !== null) {
    const invalidCode = checkLoinc(input.loincCode, 'input.loincCode');
    if (invalidCode) return invalidCode;
  }
  if ((input.numericValue === null) === (input.textValue === null))
    return new ValidationError('Give exactly one of numericValue and textValue', 'input.numericValue');
  if (input.observedAt !== null && !isNotInFuture(input.observedAt, now))
    return new ValidationError('observedAt is in the future', 'input.observedAt');
  for (const field of ['numericValue', 'referenceLow', 'referenceHigh', 'criticalLow', 'criticalHigh'] as const) {
    if (!isFiniteOrNull(input[field])) return new ValidationError(`${field} must be a finite number`, `input.${field}`);
  }
  const limits = {
    referenceLow: input.referenceLow,
    referenceHigh: input.referenceHigh,
    criticalLow: input.criticalLow,
    criticalHigh: input.criticalHigh,
  };
  if (input.textValue !== null) {
    const value = text(input.textValue);
    if (value === '' || value.length > MAX_TEXT_VALUE)
      return new ValidationError(`textValue must have 1 to ${MAX_TEXT_VALUE} characters`, 'input.textValue');
    const limitGiven = (Object.keys(limits) as Array<keyof typeof limits>).find((key) => limits[key] !== null);
    if (limitGiven) return new ValidationError('Reference and critical limits apply to numeric results only', `input.${limitGiven}`);
  }
  const unit = input.unit === null ? null : input.unit.trim();
  if (input.numericValue !== null && (unit === null || unit === ''))
    return new ValidationError('A numeric result needs its unit (UCUM, e.g. mmol/L)', 'input.unit');
  if (unit !== null && (unit === '' || unit.length > MAX_UNIT || /\s/.test(unit)))
    return new ValidationError(`unit must be a UCUM unit of 1 to ${MAX_UNIT} characters without spaces`, 'input.unit');
  const { referenceLow, referenceHigh, criticalLow, criticalHigh } = limits;
  if (referenceLow !== null && referenceHigh !== null && referenceLow > referenceHigh)
    return new ValidationError('referenceHigh is below referenceLow', 'input.referenceHigh');
  if (criticalLow !== null && criticalHigh !== null && criticalLow >= criticalHigh)
    return new ValidationError('criticalHigh must be above criticalLow', 'input.criticalHigh');
  if (criticalLow !== null && referenceLow !== null && criticalLow > referenceLow)
    return new ValidationError('criticalLow is above referenceLow', 'input.criticalLow');
  if (criticalHigh !== null && referenceHigh !== null && criticalHigh < referenceHigh)
    return new ValidationError('criticalHigh is below referenceHigh', 'input.criticalHigh');
  const flag = input.flag ?? (input.numericValue === null ? null : computeFlag(input.numericValue, limits));
  if (input.critical === false && isCriticalFlag(flag))
    return new ValidationError(`A result flagged ${flag} is critical`, 'input.critical');
  return {
    numericValue: input.numericValue,
    textValue: input.textValue === null ? null : text(input.textValue),
    unit,
    flag,
    critical: input.critical ?? isCriticalFlag(flag),
  };
}

/**
 * Records a result against a lab order (clinicians and nurses). The flag is the laboratory's when
 * given, else computed from the reference range and critical limits (rules/lab-flags.ts); a result
 * beyond a critical limit is critical. The first result marks the order resulted. The result, the
 * order's change and their audit records are written in one transaction, under the order's lock.
 */
export async function recordLabResult(
  ctx: EhrContext,
  input: RecordLabResultInput,
  now = new Date(),
): Promise<LabResultRow | MutationError> {
  const checked = checkResult(input, now);
  if (checked instanceof ValidationError) return checked;
  const { orderId } = input;
  return inTransaction(ctx.db, async (trx) => {
    const order = await lockLabOrder(trx, orderId);
    const refused = await authorizeOnRow(ctx, 'lab.result.record', order, { db: trx, entityType: 'lab_order', entityId: orderId });
    if (refused) return refused;
    if (!order) return new NotFoundError(`Lab order ${orderId} was not found`, 'input.orderId');
    const result = await insertLabResult(trx, {
      order_id: order.id,
      patient_id: order.patient_id,
      loinc_code: input.loincCode ?? order.loinc_code,
      value_numeric: checked.numericValue,
      value_text: checked.textValue,
      unit: checked.unit,
      reference_low: input.referenceLow,
      reference_high: input.referenceHigh,
      critical_low: input.criticalLow,
      critical_high: input.criticalHigh,
      flag: checked.flag,
      critical: checked.critical,
      observed_at: input.observedAt ?? now,
      recorded_by: ctx.access.identity.subject,
    });
    const resulted = order.status === 'ordered' ? await markLabOrderResulted(trx, order.id) : null;
    const patientId = order.patient_id;
    const orderEntity = { entityType: 'lab_order', entityId: order.id, patientId };
    const resultEntity = { entityType: 'lab_result', entityId: result.id, patientId };
    await appendAudit(trx, 'ehr', [
      chartChangeRecord(ctx, { ...resultEntity, action: 'lab.result.record', before: null, after: result }),
      ...(resulted ? [chartChangeRecord(ctx, { ...orderEntity, action: 'lab.order.resulted', before: order, after: resulted })] : []),
    ]);
    return result;
  });
}

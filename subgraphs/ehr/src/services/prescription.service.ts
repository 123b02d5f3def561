import { appendAudit, contentHash, inTransaction, type MedicationRoute, type PrescriptionRow } from '@chartbridge/db';
import { ConflictError, NotFoundError, ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findAllergiesByPatientIds, lockPatientAllergies } from '../data/allergy.repository.js';
import { insertPrescription, lockPrescription, stopPrescriptionRow } from '../data/medication.repository.js';
import { describeConflict, findDrugAllergyConflicts, requiresOverrideReason } from '../rules/drug-allergy.js';
import { drugClassOf, normalizeTerm } from '../rules/drug-classes.js';
import { MAX_REFILLS, isRxNormCode } from '../rules/medication-formats.js';
import { authorizeOnRow, chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';

const MAX_TERM = 200;
const MAX_QUANTITY = 10_000;
/** A reason is a sentence, not a click-through: at least 10 characters, like a break-the-glass reason. */
const OVERRIDE_REASON_LENGTH = { min: 10, max: 1000 } as const;

export interface PrescribeInput {
  readonly patientId: string;
  readonly encounterId: string | null;
  readonly drugName: string;
  readonly rxnormCode: string | null;
  /** Free text, stored lower case; derived from the drug's ingredients when not given. */
  readonly drugClass: string | null;
  readonly dose: string;
  readonly route: MedicationRoute;
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly prescriberId: string;
  readonly overrideReason: string | null;
}

function text(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

function checkInput(input: PrescribeInput): ValidationError | undefined {
  for (const field of ['drugName', 'dose', 'frequency'] as const) {
    const value = text(input[field]);
    if (value === '' || value.length > MAX_TERM)
      return new ValidationError(`${field} must have 1 to ${MAX_TERM} characters`, `input.${field}`);
  }
  if (input.rxnormCode !== null && !isRxNormCode(input.rxnormCode))
    return new ValidationError(`${input.rxnormCode} is not an RxNorm code (1 to 8 digits)`, 'input.rxnormCode');
  if (input.drugClass !== null && (normalizeTerm(input.drugClass) === '' || input.drugClass.length > MAX_TERM)) {
    return new ValidationError(`drugClass must have 1 to ${MAX_TERM} characters`, 'input.drugClass');
  }
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_QUANTITY)
    return new ValidationError(`quantity must be a whole number from 1 to ${MAX_QUANTITY}`, 'input.quantity');
  if (!Number.isInteger(input.refills) || input.refills < 0 || input.refills > MAX_REFILLS)
    return new ValidationError(`refills must be a whole number from 0 to ${MAX_REFILLS}`, 'input.refills');
  if (input.overrideReason !== null) {
    const reason = input.overrideReason.trim();
    if (reason.length < OVERRIDE_REASON_LENGTH.min || reason.length > OVERRIDE_REASON_LENGTH.max) {
      return new ValidationError(
        `overrideReason must have ${OVERRIDE_REASON_LENGTH.min} to ${OVERRIDE_REASON_LENGTH.max} characters`,
        'input.overrideReason',
      );
    }
  }
  return undefined;
}

/**
 * Writes a prescription, which puts the drug on the patient's active medication list, after checking
 * it against the patient's active allergies (rules/drug-allergy.ts) under the chart's allergy lock,
 * so that no allergy recorded at the same moment escapes the check.
 *
 * - A conflict with a severe allergy needs `overrideReason`: without one, a CONFLICT naming
 *   `input.overrideReason` and nothing written.
 * - With conflicts and a reason, the prescription is an override: the reason (clinical text) is
 *   stored on the prescription, and a `prescription.override` audit record carries only a hash of it
 *   with the prescription and the overridden allergies, beside the `prescription.create` record.
 * - A reason with nothing to override is not stored.
 *
 * The alerts are the prescription's `alerts` field, evaluated against the chart when read. The
 * patient must exist in the PMS, and the encounter, when named, must be the patient's there; the
 * prescriber id is taken by format.
 */
export async function prescribe(ctx: EhrContext, input: PrescribeInput): Promise<PrescriptionRow | MutationError> {
  const invalid = checkInput(input);
  if (invalid) return invalid;
  const { patientId, encounterId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'prescription.create', patientId, { entityType: 'prescription' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'prescription.create'),
    encounterId === null ? null : requireEncounter(ctx, encounterId, 'input.encounterId', 'prescription.create'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (encounter !== null && !('patientId' in encounter)) return encounter;
  if (encounter !== null && encounter.patientId !== patientId) {
    return new ValidationError("This encounter is another patient's", 'input.encounterId');
  }
  const drugName = text(input.drugName);
  const drugClass = input.drugClass !== null ? normalizeTerm(input.drugClass) : drugClassOf(drugName);
  const overrideReason = input.overrideReason?.trim() ?? null;

  return inTransaction(ctx.db, async (trx) => {
    await lockPatientAllergies(trx, patientId);
    const allergies = await findAllergiesByPatientIds(trx, [patientId]);
    const conflicts = findDrugAllergyConflicts(
      { name: drugName, drugClass },
      allergies.map((a) => ({ id: a.id, substance: a.substance, allergenClass: a.allergen_class, severity: a.severity, status: a.status })),
    );
    if (requiresOverrideReason(conflicts) && overrideReason === null) {
      const severe = conflicts.filter((c) => c.severity === 'severe').map((c) => describeConflict(drugName, c));
      return new ConflictError(`${severe.join('; ')}. State an overrideReason to prescribe it anyway`, 'input.overrideReason');
    }
    const overridden = conflicts.length > 0 && overrideReason !== null;
    const prescription = await insertPrescription(trx, {
      patient_id: patientId,
      encounter_id: encounterId,
      drug_name: drugName,
      rxnorm_code: input.rxnormCode,
      drug_class: drugClass,
      dose: text(input.dose),
      route: input.route,
      frequency: text(input.frequency),
      quantity: input.quantity,
      refills: input.refills,
      prescriber_id: input.prescriberId,
      override_reason: overridden ? overrideReason : null,
      recorded_by: ctx.access.identity.subject,
    });
    const entity = { entityType: 'prescription', entityId: prescription.id, patientId };
    await appendAudit(trx, 'ehr', [
      chartChangeRecord(ctx, { ...entity, action: 'prescription.create', before: null, after: prescription }),
      ...(overridden
        ? [
            {
              ...chartChangeRecord(ctx, { ...entity, action: 'prescription.override', before: null, after: null }),
              // The reason is clinical free text: the trail proves it by hash, with what was overridden.
              afterHash: contentHash({
                prescriptionId: prescription.id,
                overrideReason,
                overriddenAllergyIds: conflicts.map((c) => c.allergyId),
              }),
            },
          ]
        : []),
    ]);
    return prescription;
  });
}

/** Stops an active prescription: it leaves the active medication list, and stays on the chart. */
export async function stopMedication(ctx: EhrContext, input: { readonly id: string }): Promise<PrescriptionRow | MutationError> {
  const { id } = input;
  return inTransaction(ctx.db, async (trx) => {
    const before = await lockPrescription(trx, id);
    const refused = await authorizeOnRow(ctx, 'prescription.stop', before, { db: trx, entityType: 'prescription', entityId: id });
    if (refused) return refused;
    if (!before) return new NotFoundError(`Prescription ${id} was not found`, 'input.id');
    const after = await stopPrescriptionRow(trx, id, ctx.access.identity.subject);
    if (!after) return new ConflictError('This medication is already stopped', 'input.id');
    const entity = { entityType: 'prescription', entityId: id, patientId: before.patient_id };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'prescription.stop', before, after })]);
    return after;
  });
}

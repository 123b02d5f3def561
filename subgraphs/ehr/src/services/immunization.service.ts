import { appendAudit, inTransaction, type ImmunizationRow } from '@chartbridge/db';
import { ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { insertImmunization } from '../data/immunization.repository.js';
import { isCvxCode } from '../rules/cvx.js';
import { chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';
import { checkOptionalText, isNotAfterToday, text } from './observation-input.js';

export interface RecordImmunizationInput {
  readonly patientId: string;
  /** The encounter it was given (or reported) in; null for a record made outside one. */
  readonly encounterId: string | null;
  readonly cvxCode: string;
  readonly vaccineName: string;
  readonly administeredOn: string;
  readonly lotNumber: string | null;
  readonly site: string | null;
  /** The provider who gave it; null when given elsewhere. */
  readonly performerId: string | null;
}

const MAX_NAME = 200;

function checkInput(input: RecordImmunizationInput, now: Date): ValidationError | undefined {
  if (!isCvxCode(input.cvxCode))
    return new ValidationError(`${JSON.stringify(input.cvxCode)} is not a CVX code (1 to 3 digits)`, 'input.cvxCode');
  const name = text(input.vaccineName);
  if (name === '' || name.length > MAX_NAME)
    return new ValidationError(`vaccineName must have 1 to ${MAX_NAME} characters`, 'input.vaccineName');
  if (!isNotAfterToday(input.administeredOn, now)) return new ValidationError('administeredOn is in the future', 'input.administeredOn');
  const invalidText = checkOptionalText(input.lotNumber, 'lotNumber', 50) ?? checkOptionalText(input.site, 'site', 100);
  if (invalidText) return invalidText;
  return undefined;
}

/**
 * Records an immunization on the patient's chart (clinicians and nurses). The PMS must know the
 * patient, and the encounter when one is named, for this patient. The row and its audit record (after-hash) are written in
 * one transaction.
 */
export async function recordImmunization(
  ctx: EhrContext,
  input: RecordImmunizationInput,
  now = new Date(),
): Promise<ImmunizationRow | MutationError> {
  const invalid = checkInput(input, now);
  if (invalid) return invalid;
  const { patientId, encounterId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'immunization.record', patientId, { entityType: 'immunization' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'immunization.record'),
    encounterId === null ? null : requireEncounter(ctx, encounterId, 'input.encounterId', 'immunization.record'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (encounter !== null && !('patientId' in encounter)) return encounter;
  if (encounter !== null && encounter.patientId !== patientId) {
    return new ValidationError("This encounter is another patient's", 'input.encounterId');
  }
  return inTransaction(ctx.db, async (trx) => {
    const immunization = await insertImmunization(trx, {
      patient_id: patientId,
      encounter_id: encounterId,
      cvx_code: input.cvxCode,
      vaccine_name: text(input.vaccineName),
      administered_on: input.administeredOn,
      lot_number: input.lotNumber === null ? null : text(input.lotNumber),
      site: input.site === null ? null : text(input.site),
      performer_id: input.performerId,
      recorded_by: ctx.access.identity.subject,
    });
    await appendAudit(trx, 'ehr', [
      chartChangeRecord(ctx, {
        action: 'immunization.record',
        entityType: 'immunization',
        entityId: immunization.id,
        patientId,
        before: null,
        after: immunization,
      }),
    ]);
    return immunization;
  });
}

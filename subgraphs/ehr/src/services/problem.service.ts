import { appendAudit, inTransaction, type ProblemRow, type ProblemStatus } from '@chartbridge/db';
import { ConflictError, ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { insertProblem } from '../data/problem.repository.js';
import { isIcd10Cm, normalizeIcd10Cm } from '../rules/code-formats.js';
import { chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';

const MAX_DESCRIPTION = 500;

export interface RecordProblemInput {
  readonly patientId: string;
  readonly encounterId: string | null;
  readonly code: string;
  readonly description: string;
  readonly status: ProblemStatus;
  readonly onsetDate: string | null;
}

/**
 * Adds a problem to the patient's problem list: an ICD-10-CM code valid by format (whether the code
 * exists is not checked here: the problem list takes any code of the full release, and the
 * description is the clinician's), a description and an onset date not in the future. The same
 * code active twice on one list is a CONFLICT. The patient must exist in the PMS, and the encounter,
 * when named, must be the patient's there.
 */
export async function recordProblem(
  ctx: EhrContext,
  input: RecordProblemInput,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<ProblemRow | MutationError> {
  const code = normalizeIcd10Cm(input.code);
  if (!isIcd10Cm(code))
    return new ValidationError(
      `${input.code} is not an ICD-10-CM code (letter, digit, alphanumeric, then up to four more after a dot)`,
      'input.code',
    );
  const description = input.description.trim();
  if (description === '' || description.length > MAX_DESCRIPTION)
    return new ValidationError(`description must have 1 to ${MAX_DESCRIPTION} characters`, 'input.description');
  if (input.onsetDate !== null && input.onsetDate > today)
    return new ValidationError('onsetDate must not be in the future', 'input.onsetDate');
  const { patientId, encounterId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'problem.record', patientId, { entityType: 'problem' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'problem.record'),
    encounterId === null ? null : requireEncounter(ctx, encounterId, 'input.encounterId', 'problem.record'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (encounter !== null && !('patientId' in encounter)) return encounter;
  if (encounter !== null && encounter.patientId !== patientId) {
    return new ValidationError("This encounter is another patient's", 'input.encounterId');
  }

  return inTransaction(ctx.db, async (trx) => {
    const problem = await insertProblem(trx, {
      patient_id: patientId,
      encounter_id: encounterId,
      code,
      description,
      status: input.status,
      onset_date: input.onsetDate,
      recorded_by: ctx.access.identity.subject,
    });
    if (!problem) return new ConflictError(`${code} is already an active problem of this patient`, 'input.code');
    const entity = { entityType: 'problem', entityId: problem.id, patientId };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'problem.record', before: null, after: problem })]);
    return problem;
  });
}

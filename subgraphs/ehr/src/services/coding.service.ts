import { appendAudit, inTransaction, type DiagnosisRow, type ProcedureRow } from '@chartbridge/db';
import { ConflictError, NotFoundError, ValidationError, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import { findNotesByIds } from '../data/clinical-note.repository.js';
import { findDiagnosesByIds, findReferenceDescription, insertDiagnosis, insertProcedure } from '../data/coding.repository.js';
import { isIcd10Cm, isModifier, normalizeIcd10Cm, procedureCodeSystem } from '../rules/code-formats.js';
import { authorizeOnEncounter, chartChangeRecord } from './ehr-changes.js';

/** Records an ICD-10-CM diagnosis on an encounter: valid by format and present in the reference set. */
export async function recordDiagnosis(
  ctx: EhrContext,
  input: { readonly encounterId: string; readonly code: string },
): Promise<DiagnosisRow | MutationError> {
  const code = normalizeIcd10Cm(input.code);
  if (!isIcd10Cm(code))
    return new ValidationError(
      `${input.code} is not an ICD-10-CM code (letter, digit, alphanumeric, then up to four more after a dot)`,
      'input.code',
    );
  const description = await findReferenceDescription(ctx.db, 'icd10cm', code);
  if (description === undefined)
    return new ValidationError(
      `${code} is not in the ICD-10-CM reference set (load the full release with pnpm codes:import)`,
      'input.code',
    );
  const encounter = await authorizeOnEncounter(ctx, 'diagnosis.record', input.encounterId, 'input.encounterId');
  if (!('patientId' in encounter)) return encounter;
  return inTransaction(ctx.db, async (trx) => {
    const diagnosis = await insertDiagnosis(trx, {
      encounter_id: encounter.id,
      patient_id: encounter.patientId,
      code,
      description,
      recorded_by: ctx.access.identity.subject,
    });
    if (!diagnosis) return new ConflictError(`${code} is already recorded for this encounter`, 'input.code');
    const entity = { entityType: 'diagnosis', entityId: diagnosis.id, patientId: diagnosis.patient_id };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'diagnosis.record', before: null, after: diagnosis })]);
    return diagnosis;
  });
}

export interface RecordProcedureInput {
  readonly encounterId: string;
  readonly code: string;
  /** Required for CPT (its descriptions are the AMA's: the caller supplies the display text). */
  readonly display?: string | null;
  readonly units: number;
  readonly modifiers: readonly string[];
  readonly performerId: string;
  readonly diagnosisIds: readonly string[];
  readonly noteId?: string | null;
}

/**
 * Records a CPT or HCPCS procedure with units, up to 4 modifiers, its performer and the 1 to 4
 * diagnoses of the same encounter that justify it (their order is the claim line's pointer order).
 */
export async function recordProcedure(ctx: EhrContext, input: RecordProcedureInput): Promise<ProcedureRow | MutationError> {
  const code = input.code.trim().toUpperCase();
  const system = procedureCodeSystem(code);
  if (!system)
    return new ValidationError(
      `${input.code} is neither a CPT code (five characters, the last a digit, F, T or U) nor a HCPCS Level II code (a letter and four digits)`,
      'input.code',
    );
  if (!Number.isInteger(input.units) || input.units < 1 || input.units > 999)
    return new ValidationError('units must be a whole number from 1 to 999', 'input.units');
  const modifiers = input.modifiers.map((m) => m.trim().toUpperCase());
  if (modifiers.length > 4) return new ValidationError('A procedure takes at most 4 modifiers', 'input.modifiers');
  const badModifier = modifiers.findIndex((m) => !isModifier(m));
  if (badModifier >= 0)
    return new ValidationError(
      `${input.modifiers[badModifier]} is not a modifier (two letters or digits)`,
      `input.modifiers.${badModifier}`,
    );
  if (input.diagnosisIds.length < 1 || input.diagnosisIds.length > 4)
    return new ValidationError('Link 1 to 4 diagnoses that justify the procedure', 'input.diagnosisIds');
  if (new Set(input.diagnosisIds).size !== input.diagnosisIds.length)
    return new ValidationError('A diagnosis is linked twice', 'input.diagnosisIds');
  let display = input.display?.trim() ?? '';
  if (system === 'hcpcs') {
    const description = await findReferenceDescription(ctx.db, 'hcpcs', code);
    if (description === undefined)
      return new ValidationError(`${code} is not in the HCPCS reference set (load the full release with pnpm codes:import)`, 'input.code');
    display ||= description;
  } else if (display === '') {
    return new ValidationError('A CPT procedure needs its display text from the caller', 'input.display');
  }
  const encounter = await authorizeOnEncounter(ctx, 'procedure.record', input.encounterId, 'input.encounterId');
  if (!('patientId' in encounter)) return encounter;

  const { diagnosisIds } = input;
  const diagnoses = await findDiagnosesByIds(ctx.db, diagnosisIds);
  for (const [i, id] of diagnosisIds.entries()) {
    const diagnosis = diagnoses.find((d) => d.id === id);
    if (!diagnosis) return new NotFoundError(`Diagnosis ${id} was not found`, `input.diagnosisIds.${i}`);
    if (diagnosis.encounter_id !== encounter.id)
      return new ValidationError('This diagnosis belongs to another encounter', `input.diagnosisIds.${i}`);
  }
  if (input.noteId) {
    const [note] = await findNotesByIds(ctx.db, [input.noteId]);
    if (!note) return new NotFoundError(`Note ${input.noteId} was not found`, 'input.noteId');
    if (note.encounter_id !== encounter.id) return new ValidationError('This note belongs to another encounter', 'input.noteId');
  }
  return inTransaction(ctx.db, async (trx) => {
    const procedure = await insertProcedure(
      trx,
      {
        encounter_id: encounter.id,
        patient_id: encounter.patientId,
        note_id: input.noteId ?? null,
        code,
        code_system: system,
        display,
        units: input.units,
        modifiers,
        performer_id: input.performerId,
        recorded_by: ctx.access.identity.subject,
      },
      diagnosisIds,
    );
    const entity = { entityType: 'procedure', entityId: procedure.id, patientId: procedure.patient_id };
    const after = { procedure, diagnosisIds };
    await appendAudit(trx, 'ehr', [chartChangeRecord(ctx, { ...entity, action: 'procedure.record', before: null, after })]);
    return procedure;
  });
}

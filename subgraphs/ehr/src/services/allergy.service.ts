import {
  appendAudit,
  inTransaction,
  type AllergyCategory,
  type AllergyRow,
  type AllergySeverity,
  type AllergyStatus,
  type AllergyStatusRow,
} from '@chartbridge/db';
import { ConflictError, ValidationError, authorizeChange, type MutationError } from '@chartbridge/kit';
import type { EhrContext } from '../context.js';
import {
  deleteAllergyStatus,
  findAllergiesByPatientIds,
  findAllergyStatusByPatientIds,
  insertAllergy,
  lockPatientAllergies,
  upsertNoKnownDrugAllergies,
} from '../data/allergy.repository.js';
import { drugAllergyStatus, isActiveDrugAllergy, type DrugAllergyStatus } from '../rules/allergy-status.js';
import { classifyAllergen, normalizeTerm } from '../rules/drug-classes.js';
import { chartChangeRecord, requireEncounter, requirePatient } from './ehr-changes.js';

const MAX_TERM = 200;
const MAX_REACTION = 1000;

export interface RecordAllergyInput {
  readonly patientId: string;
  readonly encounterId: string | null;
  readonly substance: string;
  /** Free text, stored lower case; derived from the substance when not given. */
  readonly allergenClass: string | null;
  /** Derived from the substance or the class when not given; required when neither is known. */
  readonly category: AllergyCategory | null;
  readonly reaction: string | null;
  readonly severity: AllergySeverity | null;
  readonly status: AllergyStatus;
}

/** A patient's drug-allergy status with the statement behind it, when there is one. */
export interface PatientAllergyStatus {
  readonly patientId: string;
  readonly status: DrugAllergyStatus;
  /** The recorded "no known drug allergies" statement, if any; an active drug allergy outranks it. */
  readonly statement: AllergyStatusRow | null;
}

/** The status the chart shows, from its allergies and any recorded statement. */
export function patientAllergyStatus(
  patientId: string,
  allergies: readonly AllergyRow[],
  statement: AllergyStatusRow | null,
): PatientAllergyStatus {
  return { patientId, status: drugAllergyStatus(allergies, statement !== null), statement };
}

/** An allergy's category: as given, else from the substance, else from the class (`penicillins`, `peanuts`). */
function resolveCategory(input: RecordAllergyInput, allergenClass: string | null): AllergyCategory | null {
  return (
    input.category ??
    classifyAllergen(input.substance).category ??
    (allergenClass === null ? null : classifyAllergen(allergenClass).category)
  );
}

/**
 * Records an allergy on the chart. An active drug allergy withdraws a "no known drug allergies"
 * statement in the same transaction (the statement is no longer true); an allergy to a substance
 * already active on the chart is a CONFLICT. The patient must exist in the PMS, and the encounter,
 * when named, must be the patient's there.
 */
export async function recordAllergy(ctx: EhrContext, input: RecordAllergyInput): Promise<AllergyRow | MutationError> {
  const substance = input.substance.trim().replace(/\s+/g, ' ');
  if (substance === '' || substance.length > MAX_TERM)
    return new ValidationError(`substance must have 1 to ${MAX_TERM} characters`, 'input.substance');
  const allergenClass = input.allergenClass === null ? classifyAllergen(substance).allergenClass : normalizeTerm(input.allergenClass);
  if (allergenClass !== null && (allergenClass === '' || allergenClass.length > MAX_TERM))
    return new ValidationError(`allergenClass must have 1 to ${MAX_TERM} characters`, 'input.allergenClass');
  const reaction = input.reaction?.trim() || null;
  if (reaction !== null && reaction.length > MAX_REACTION)
    return new ValidationError(`reaction must have at most ${MAX_REACTION} characters`, 'input.reaction');
  const category = resolveCategory(input, allergenClass);
  if (category === null)
    return new ValidationError(
      `Say whether ${substance} is a medication, food, environmental or biologic allergen: it is not in the substance table`,
      'input.category',
    );
  const { patientId, encounterId } = input;
  // Decided before the PMS is asked anything: a refusal says nothing of whether the patient exists.
  const refused = await authorizeChange(ctx, 'allergy.record', patientId, { entityType: 'allergy' });
  if (refused) return refused;
  const [unknownPatient, encounter] = await Promise.all([
    requirePatient(ctx, patientId, 'input.patientId', 'allergy.record'),
    encounterId === null ? null : requireEncounter(ctx, encounterId, 'input.encounterId', 'allergy.record'),
  ]);
  if (unknownPatient) return unknownPatient;
  if (encounter !== null && !('patientId' in encounter)) return encounter;
  if (encounter !== null && encounter.patientId !== patientId) {
    return new ValidationError("This encounter is another patient's", 'input.encounterId');
  }

  return inTransaction(ctx.db, async (trx) => {
    await lockPatientAllergies(trx, patientId);
    const chart = await findAllergiesByPatientIds(trx, [patientId]);
    const key = normalizeTerm(substance);
    if (input.status === 'active' && chart.some((a) => a.status === 'active' && normalizeTerm(a.substance) === key)) {
      return new ConflictError(`An active allergy to ${substance} is already on the chart`, 'input.substance');
    }
    const allergy = await insertAllergy(trx, {
      patient_id: patientId,
      encounter_id: encounterId,
      substance,
      allergen_class: allergenClass,
      category,
      reaction,
      severity: input.severity,
      status: input.status,
      recorded_by: ctx.access.identity.subject,
    });
    const withdrawn = isActiveDrugAllergy(allergy) ? await deleteAllergyStatus(trx, patientId) : undefined;
    const entity = { entityType: 'allergy', entityId: allergy.id, patientId };
    const status = { entityType: 'allergy_status', entityId: patientId, patientId };
    await appendAudit(trx, 'ehr', [
      chartChangeRecord(ctx, { ...entity, action: 'allergy.record', before: null, after: allergy }),
      ...(withdrawn ? [chartChangeRecord(ctx, { ...status, action: 'allergy_status.withdraw', before: withdrawn, after: null })] : []),
    ]);
    return allergy;
  });
}

/**
 * Records that the patient was asked and has no known drug allergies (or re-confirms it, with a new
 * time and author). While an active drug allergy is on the chart the statement would be false: a
 * CONFLICT naming the allergy, and nothing written.
 */
export async function recordNoKnownDrugAllergies(
  ctx: EhrContext,
  input: { readonly patientId: string },
): Promise<PatientAllergyStatus | MutationError> {
  const { patientId } = input;
  const refused = await authorizeChange(ctx, 'allergy_status.record', patientId, { entityType: 'allergy_status', entityId: patientId });
  if (refused) return refused;
  const unknownPatient = await requirePatient(ctx, patientId, 'input.patientId', 'allergy_status.record');
  if (unknownPatient) return unknownPatient;

  return inTransaction(ctx.db, async (trx) => {
    await lockPatientAllergies(trx, patientId);
    const chart = await findAllergiesByPatientIds(trx, [patientId]);
    const active = chart.find(isActiveDrugAllergy);
    if (active)
      return new ConflictError(
        `The patient has an active drug allergy (${active.substance}); resolve it before recording no known drug allergies`,
        'input.patientId',
      );
    const [before] = await findAllergyStatusByPatientIds(trx, [patientId]);
    const after = await upsertNoKnownDrugAllergies(trx, patientId, ctx.access.identity.subject);
    await appendAudit(trx, 'ehr', [
      chartChangeRecord(ctx, {
        action: 'allergy_status.record',
        entityType: 'allergy_status',
        entityId: patientId,
        patientId,
        before: before ?? null,
        after,
      }),
    ]);
    return patientAllergyStatus(patientId, chart, after);
  });
}

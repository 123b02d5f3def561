import type { CodeSystem, DiagnosisRow, EhrDatabase, NewProcedure, ProcedureRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';

/** A code's description in the reference set, or undefined when the code is not in it. */
export async function findReferenceDescription(db: Kysely<EhrDatabase>, system: CodeSystem, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('ehr.code_reference')
    .select('description')
    .where('system', '=', system)
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.description;
}

export async function insertDiagnosis(
  trx: Transaction<EhrDatabase>,
  diagnosis: { encounter_id: string; patient_id: string; code: string; description: string; recorded_by: string },
): Promise<DiagnosisRow | undefined> {
  // The (encounter, code) pair is unique: a second recording of the same code is not a new diagnosis.
  return trx
    .insertInto('ehr.diagnosis')
    .values(diagnosis)
    .onConflict((oc) => oc.columns(['encounter_id', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findDiagnosesByIds(db: Kysely<EhrDatabase>, ids: readonly string[]): Promise<DiagnosisRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.diagnosis').selectAll().where('id', 'in', valid).execute();
}

export async function findDiagnosesByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<DiagnosisRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.diagnosis')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Inserts a procedure and its linked diagnoses, in pointer order. */
export async function insertProcedure(
  trx: Transaction<EhrDatabase>,
  procedure: NewProcedure,
  diagnosisIds: readonly string[],
): Promise<ProcedureRow> {
  const row = await trx.insertInto('ehr.procedure').values(procedure).returningAll().executeTakeFirstOrThrow();
  if (diagnosisIds.length > 0) {
    await trx
      .insertInto('ehr.procedure_diagnosis')
      .values(diagnosisIds.map((diagnosisId, i) => ({ procedure_id: row.id, diagnosis_id: diagnosisId, position: i + 1 })))
      .execute();
  }
  return row;
}

export async function findProceduresByIds(db: Kysely<EhrDatabase>, ids: readonly string[]): Promise<ProcedureRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.procedure').selectAll().where('id', 'in', valid).execute();
}

export async function findProceduresByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<ProcedureRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.procedure')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export type LinkedDiagnosis = DiagnosisRow & { readonly procedure_id: string; readonly position: number };

/** The diagnoses each of these procedures is linked to, in pointer order. */
export async function findLinkedDiagnoses(db: Kysely<EhrDatabase>, procedureIds: readonly string[]): Promise<LinkedDiagnosis[]> {
  const valid = uuidsOnly(procedureIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.procedure_diagnosis as l')
    .innerJoin('ehr.diagnosis as d', 'd.id', 'l.diagnosis_id')
    .selectAll('d')
    .select(['l.procedure_id', 'l.position'])
    .where('l.procedure_id', 'in', valid)
    .orderBy('l.procedure_id')
    .orderBy('l.position')
    .execute();
}

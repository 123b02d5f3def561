import type { EhrDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely } from 'kysely';
import { ENCOUNTER_DOCUMENTED } from '../rules/documented-event.js';

// The documentation facts of encounters that billing is checked against: when addenda were written,
// which diagnoses each procedure is linked to, and the date of service the documentation was signed
// for. Codes, dates and ids only, never the notes' text. Each is one statement for any number of
// encounters.

/** An addendum's time and whether it changed the coding, with its note's encounter. */
export interface AddendumFact {
  readonly encounter_id: string;
  readonly id: string;
  readonly created_at: Date;
  readonly changes_coding: boolean;
}

/** Every addendum to the notes of these encounters, oldest first (no text). */
export async function findAddendumFactsByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<AddendumFact[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.note_addendum as a')
    .innerJoin('ehr.clinical_note as n', 'n.id', 'a.note_id')
    .select(['n.encounter_id', 'a.id', 'a.created_at', 'a.changes_coding'])
    .where('n.encounter_id', 'in', valid)
    .orderBy('n.encounter_id')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .execute();
}

/** A diagnosis linked to a procedure, by code, at its pointer position. */
export interface DiagnosisLinkFact {
  readonly encounter_id: string;
  readonly procedure_id: string;
  readonly position: number;
  readonly code: string;
}

/** The diagnosis-procedure links of these encounters' procedures, in pointer order. */
export async function findDiagnosisLinksByEncounterIds(
  db: Kysely<EhrDatabase>,
  encounterIds: readonly string[],
): Promise<DiagnosisLinkFact[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.procedure_diagnosis as l')
    .innerJoin('ehr.procedure as p', 'p.id', 'l.procedure_id')
    .innerJoin('ehr.diagnosis as d', 'd.id', 'l.diagnosis_id')
    .select(['p.encounter_id', 'l.procedure_id', 'l.position', 'd.code'])
    .where('p.encounter_id', 'in', valid)
    .orderBy('p.encounter_id')
    .orderBy('l.procedure_id')
    .orderBy('l.position')
    .execute();
}

/**
 * The date of service each encounter's documentation was last signed or amended for. The EHR does
 * not own encounters: at each signature and coding addendum it reads the date from the PMS and
 * records it in the `encounter.documented` event it writes in the same transaction, so the newest
 * such event holds the date the documentation stands for. An encounter never signed has no row.
 */
export async function findDocumentedServiceDates(
  db: Kysely<EhrDatabase>,
  encounterIds: readonly string[],
): Promise<Array<{ readonly encounter_id: string; readonly service_date: string | null }>> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.outbox')
    .distinctOn('aggregate_id')
    .select(['aggregate_id as encounter_id', sql<string | null>`payload ->> 'serviceDate'`.as('service_date')])
    .where('event_type', '=', ENCOUNTER_DOCUMENTED)
    .where('aggregate_id', 'in', valid)
    .orderBy('aggregate_id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

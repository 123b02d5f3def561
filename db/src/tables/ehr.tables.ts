import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt } from './pms.tables.js';

export type AllergySeverity = 'mild' | 'moderate' | 'severe';
export type AllergyStatus = 'active' | 'inactive' | 'resolved';
export type NoteKind = 'progress' | 'consult' | 'procedure' | 'behavioral_health';
export type NoteStatus = 'draft' | 'signed';

export interface AllergyTable {
  id: Generated<string>;
  patient_id: string;
  substance: string;
  reaction: string | null;
  severity: AllergySeverity | null;
  status: AllergyStatus;
  recorded_at: CreatedAt;
}

export interface ClinicalNoteTable {
  id: Generated<string>;
  encounter_id: string;
  patient_id: string;
  author_id: string;
  kind: ColumnType<NoteKind, NoteKind | undefined, NoteKind>;
  status: NoteStatus;
  subjective: string | null;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  signed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The tables of the `ehr` schema, as the EHR subgraph's Kysely instance sees them. */
export interface EhrDatabase {
  'ehr.allergy': AllergyTable;
  'ehr.clinical_note': ClinicalNoteTable;
}

export type AllergyRow = Selectable<AllergyTable>;
export type NewAllergy = Insertable<AllergyTable>;
export type ClinicalNoteRow = Selectable<ClinicalNoteTable>;
export type NewClinicalNote = Insertable<ClinicalNoteTable>;

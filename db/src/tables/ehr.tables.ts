import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { EhrCodingTables } from './ehr-coding.tables.js';
import type { EhrMedicationTables } from './ehr-medication.tables.js';
import type { EhrObservationTables } from './ehr-observation.tables.js';
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
  /** Lower-case class of the allergen (`penicillins`, `nsaids`); null when unknown or recorded before it existed. */
  allergen_class: ColumnType<string | null, string | null | undefined, string | null>;
  /** HL7 FHIR AllergyIntolerance.category; null for rows recorded before it existed. */
  category: ColumnType<
    'medication' | 'food' | 'environment' | 'biologic' | null,
    'medication' | 'food' | 'environment' | 'biologic' | null | undefined,
    never
  >;
  /** The PMS encounter it was recorded in, by id only (no foreign key across domains). */
  encounter_id: ColumnType<string | null, string | null | undefined, never>;
  /** The subject of the user who recorded it; null for rows recorded before it existed. */
  recorded_by: ColumnType<string | null, string | null | undefined, never>;
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
  /** The provider who signed (its author); set exactly when the note is signed. */
  signed_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** The provider who drafted the note for its author (a nurse or scribe); null when the author wrote it. */
  drafted_by: ColumnType<string | null, string | null | undefined, never>;
}

/** The tables of the `ehr` schema, as the EHR subgraph's Kysely instance sees them. */
export interface EhrDatabase extends EhrCodingTables, EhrMedicationTables, EhrObservationTables {
  'ehr.allergy': AllergyTable;
  'ehr.clinical_note': ClinicalNoteTable;
}

export type AllergyRow = Selectable<AllergyTable>;
export type NewAllergy = Insertable<AllergyTable>;
export type ClinicalNoteRow = Selectable<ClinicalNoteTable>;
export type NewClinicalNote = Insertable<ClinicalNoteTable>;

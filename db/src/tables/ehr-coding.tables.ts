import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt } from './pms.tables.js';

export type CodeSystem = 'icd10cm' | 'hcpcs';
export type ProcedureCodeSystem = 'cpt' | 'hcpcs';

export interface NoteAddendumTable {
  id: Generated<string>;
  note_id: string;
  author_id: string;
  text: string;
  /** True when the addendum changed the encounter's coding (a new charge-capture event followed). */
  changes_coding: ColumnType<boolean, boolean | undefined, never>;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface CodeReferenceTable {
  system: CodeSystem;
  code: string;
  description: string;
}

export interface DiagnosisTable {
  id: Generated<string>;
  encounter_id: string;
  patient_id: string;
  code: string;
  description: string;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface ProcedureTable {
  id: Generated<string>;
  encounter_id: string;
  patient_id: string;
  note_id: string | null;
  code: string;
  code_system: ProcedureCodeSystem;
  /** For CPT, the caller's display text (CPT descriptions are copyrighted); for HCPCS, the CMS description. */
  display: string;
  units: number;
  modifiers: ColumnType<string[], string[] | undefined, string[]>;
  performer_id: string;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface ProcedureDiagnosisTable {
  procedure_id: string;
  diagnosis_id: string;
  /** 1 to 4: the order of the diagnosis pointers on the claim line. */
  position: number;
}

export interface OutboxTable {
  id: Generated<string>;
  event_type: string;
  aggregate_id: string;
  payload: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  /** Set when the relay gave up after its maximum attempts (a dead letter, requeued by an administrator). */
  dead_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The documentation and coding tables of the `ehr` schema. */
export interface EhrCodingTables {
  'ehr.note_addendum': NoteAddendumTable;
  'ehr.code_reference': CodeReferenceTable;
  'ehr.diagnosis': DiagnosisTable;
  'ehr.procedure': ProcedureTable;
  'ehr.procedure_diagnosis': ProcedureDiagnosisTable;
  'ehr.outbox': OutboxTable;
}

export type NoteAddendumRow = Selectable<NoteAddendumTable>;
export type DiagnosisRow = Selectable<DiagnosisTable>;
export type ProcedureRow = Selectable<ProcedureTable>;
export type NewProcedure = Insertable<ProcedureTable>;
export type OutboxRow = Selectable<OutboxTable>;

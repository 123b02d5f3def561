import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** A `date` column: read and written as `YYYY-MM-DD` text (see type-parsers.ts). */
export type DateColumn = ColumnType<string, string, string>;
/** A `timestamptz` column with a server default. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type Sex = 'female' | 'male' | 'other' | 'unknown';
export type EncounterStatus = 'arrived' | 'in_progress' | 'finished' | 'cancelled';

export interface ProviderTable {
  id: Generated<string>;
  npi: string;
  given_names: string[];
  family_name: string;
  specialty: string | null;
  created_at: CreatedAt;
}

export interface PatientTable {
  id: Generated<string>;
  mrn: string;
  given_names: string[];
  family_name: string;
  birth_date: DateColumn;
  sex: Sex;
  phone: string | null;
  email: string | null;
  address_lines: ColumnType<string[], string[] | undefined, string[]>;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface EncounterTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  service_date: DateColumn;
  status: EncounterStatus;
  created_at: CreatedAt;
}

/** The tables of the `pms` schema, as the PMS subgraph's Kysely instance sees them. */
export interface PmsDatabase {
  'pms.provider': ProviderTable;
  'pms.patient': PatientTable;
  'pms.encounter': EncounterTable;
}

export type ProviderRow = Selectable<ProviderTable>;
export type NewProvider = Insertable<ProviderTable>;
export type PatientRow = Selectable<PatientTable>;
export type NewPatient = Insertable<PatientTable>;
export type EncounterRow = Selectable<EncounterTable>;
export type NewEncounter = Insertable<EncounterTable>;

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
  /** The SSN sealed with the PMS keyring (`FieldKeyring`, AAD `patientSsnAad(id)`); never stored in clear. */
  ssn_ciphertext: string | null;
  /** The id of the key `ssn_ciphertext` is sealed under; set exactly when it is. */
  ssn_key_id: string | null;
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

export interface PartnerTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface ConsentTable {
  id: Generated<string>;
  patient_id: string;
  partner_id: string;
  data_classes: string[];
  valid_from: DateColumn;
  valid_to: DateColumn | null;
  recorded_by: string;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_by: string | null;
  created_at: CreatedAt;
}

/** The tables of the `pms` schema, as the PMS subgraph's Kysely instance sees them. */
export interface PmsDatabase {
  'pms.provider': ProviderTable;
  'pms.patient': PatientTable;
  'pms.encounter': EncounterTable;
  'pms.partner': PartnerTable;
  'pms.consent': ConsentTable;
}

export type ProviderRow = Selectable<ProviderTable>;
export type NewProvider = Insertable<ProviderTable>;
export type PatientRow = Selectable<PatientTable>;
export type NewPatient = Insertable<PatientTable>;
export type EncounterRow = Selectable<EncounterTable>;
export type NewEncounter = Insertable<EncounterTable>;
export type PartnerRow = Selectable<PartnerTable>;
export type ConsentRow = Selectable<ConsentTable>;
export type NewConsent = Insertable<ConsentTable>;

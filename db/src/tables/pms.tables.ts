import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { PmsClaimTables } from './pms-claims.tables.js';
export type * from './pms-claims.tables.js';

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

export type AppointmentStatus = 'booked' | 'arrived' | 'in_progress' | 'completed' | 'cancelled' | 'no_show';
/** A `time` column: read and written as `HH:MM:SS` text. */
export type TimeColumn = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface LocationTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface RoomTable {
  id: Generated<string>;
  location_id: string;
  name: string;
  created_at: CreatedAt;
}

/** A provider's weekly hours at a location: weekday 0 (Sunday) to 6, local times of the practice. */
export interface AvailabilityTable {
  id: Generated<string>;
  provider_id: string;
  location_id: string;
  weekday: number;
  start_time: TimeColumn;
  end_time: TimeColumn;
  created_at: CreatedAt;
}

export interface AppointmentTable {
  id: Generated<string>;
  patient_id: string;
  provider_id: string;
  location_id: string;
  room_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: ColumnType<AppointmentStatus, AppointmentStatus | undefined, AppointmentStatus>;
  reason: string | null;
  encounter_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  cancelled_at: NullableTimestamp;
  cancelled_by: string | null;
  cancel_reason: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PayerTable {
  id: Generated<string>;
  /** The payer's electronic id (as clearinghouses know it), not the row's key. */
  payer_id: string;
  name: string;
  created_at: CreatedAt;
}

export type CoverageRank = 'primary' | 'secondary';
export type SubscriberRelationship = 'self' | 'spouse' | 'child' | 'other';

/** A patient's insurance with one payer; amounts are integer cents. */
export interface CoverageTable {
  id: Generated<string>;
  patient_id: string;
  /** `pms.payer.id` (the row's key, not the payer's electronic id). */
  payer_id: string;
  rank: CoverageRank;
  member_id: string;
  group_number: string | null;
  plan_name: string | null;
  subscriber_name: string | null;
  relationship: ColumnType<SubscriberRelationship, SubscriberRelationship | undefined, SubscriberRelationship>;
  effective_from: DateColumn;
  effective_to: DateColumn | null;
  copay_cents: number | null;
  deductible_cents: number | null;
  deductible_met_cents: ColumnType<number, number | undefined, number>;
  created_by: string;
  created_at: CreatedAt;
}

export type EligibilityOutcome = 'active' | 'inactive' | 'unknown';

/** One eligibility check and what came back; append-only. `raw_response` holds no PHI. */
export interface EligibilityCheckTable {
  id: Generated<string>;
  coverage_id: string;
  patient_id: string;
  date_of_service: DateColumn;
  checked_by: string;
  checked_at: CreatedAt;
  adapter: string;
  outcome: EligibilityOutcome;
  copay_cents: number | null;
  remaining_deductible_cents: number | null;
  message: string | null;
  raw_response: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** The tables of the `pms` schema, as the PMS subgraph's Kysely instance sees them. */
export interface PmsDatabase extends PmsClaimTables {
  'pms.provider': ProviderTable;
  'pms.patient': PatientTable;
  'pms.encounter': EncounterTable;
  'pms.partner': PartnerTable;
  'pms.consent': ConsentTable;
  'pms.location': LocationTable;
  'pms.room': RoomTable;
  'pms.availability': AvailabilityTable;
  'pms.appointment': AppointmentTable;
  'pms.payer': PayerTable;
  'pms.coverage': CoverageTable;
  'pms.eligibility_check': EligibilityCheckTable;
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
export type LocationRow = Selectable<LocationTable>;
export type RoomRow = Selectable<RoomTable>;
export type AvailabilityRow = Selectable<AvailabilityTable>;
export type AppointmentRow = Selectable<AppointmentTable>;
export type NewAppointment = Insertable<AppointmentTable>;
export type PayerRow = Selectable<PayerTable>;
export type NewPayer = Insertable<PayerTable>;
export type CoverageRow = Selectable<CoverageTable>;
export type NewCoverage = Insertable<CoverageTable>;
export type EligibilityCheckRow = Selectable<EligibilityCheckTable>;
export type NewEligibilityCheck = Insertable<EligibilityCheckTable>;

import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, DateColumn } from './pms.tables.js';

/**
 * A nullable `numeric` column: read as a decimal string (see type-parsers.ts), so no precision is
 * lost on the way out; written from a number or a decimal string.
 */
type NullableDecimal = ColumnType<string | null, number | string | null | undefined, number | string | null>;

/** HL7 v2 table 0078 abnormal flags, as used on lab results. */
export type LabFlag = 'N' | 'L' | 'H' | 'LL' | 'HH' | 'A';
export type LabOrderStatus = 'ordered' | 'resulted';

export interface ImmunizationTable {
  id: Generated<string>;
  patient_id: string;
  encounter_id: string | null;
  /** CDC CVX code: one to three digits. */
  cvx_code: string;
  vaccine_name: string;
  administered_on: DateColumn;
  lot_number: string | null;
  site: string | null;
  performer_id: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** One set of vital signs, each measurement in its stored unit (the column names it). */
export interface VitalSignsTable {
  id: Generated<string>;
  patient_id: string;
  encounter_id: string | null;
  taken_at: ColumnType<Date, Date | string, Date | string>;
  systolic_mmhg: number | null;
  diastolic_mmhg: number | null;
  heart_rate_per_min: number | null;
  temperature_cel: NullableDecimal;
  weight_kg: NullableDecimal;
  height_cm: NullableDecimal;
  /** kg/m2, one decimal; derived from the weight and a height when both are known. */
  bmi: NullableDecimal;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface LabOrderTable {
  id: Generated<string>;
  patient_id: string;
  encounter_id: string;
  ordering_provider_id: string;
  loinc_code: string;
  test_name: string;
  status: ColumnType<LabOrderStatus, LabOrderStatus | undefined, LabOrderStatus>;
  ordered_by: string;
  ordered_at: CreatedAt;
}

export interface LabResultTable {
  id: Generated<string>;
  order_id: string;
  patient_id: string;
  loinc_code: string;
  value_numeric: NullableDecimal;
  value_text: string | null;
  unit: string | null;
  reference_low: NullableDecimal;
  reference_high: NullableDecimal;
  critical_low: NullableDecimal;
  critical_high: NullableDecimal;
  flag: LabFlag | null;
  critical: ColumnType<boolean, boolean | undefined, boolean>;
  observed_at: ColumnType<Date, Date | string, Date | string>;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** The observation tables of the `ehr` schema. */
export interface EhrObservationTables {
  'ehr.immunization': ImmunizationTable;
  'ehr.vital_signs': VitalSignsTable;
  'ehr.lab_order': LabOrderTable;
  'ehr.lab_result': LabResultTable;
}

export type ImmunizationRow = Selectable<ImmunizationTable>;
export type NewImmunization = Insertable<ImmunizationTable>;
export type VitalSignsRow = Selectable<VitalSignsTable>;
export type NewVitalSigns = Insertable<VitalSignsTable>;
export type LabOrderRow = Selectable<LabOrderTable>;
export type NewLabOrder = Insertable<LabOrderTable>;
export type LabResultRow = Selectable<LabResultTable>;
export type NewLabResult = Insertable<LabResultTable>;

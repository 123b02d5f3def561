import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { AllergyRow } from './ehr.tables.js';
import type { CreatedAt, DateColumn } from './pms.tables.js';

/** HL7 FHIR AllergyIntolerance.category: what kind of thing the patient reacts to. */
export type AllergyCategory = NonNullable<AllergyRow['category']>;
/** The one statement a patient's allergy status row records; no row means nobody stated anything. */
export type AllergyAssertion = 'no_known_drug_allergies';
export type ProblemStatus = 'active' | 'resolved';
export type MedicationStatus = 'active' | 'stopped';
/** Routes of administration, by their usual prescription abbreviations. */
export type MedicationRoute = 'PO' | 'SL' | 'IV' | 'IM' | 'SC' | 'ID' | 'TOP' | 'TD' | 'INH' | 'NAS' | 'OPH' | 'OTIC' | 'PR' | 'PV';

export interface AllergyStatusTable {
  patient_id: string;
  status: AllergyAssertion;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProblemTable {
  id: Generated<string>;
  patient_id: string;
  encounter_id: string | null;
  /** ICD-10-CM, with its dot (`E11.9`). */
  code: string;
  description: string;
  status: ProblemStatus;
  onset_date: DateColumn | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface PrescriptionTable {
  id: Generated<string>;
  patient_id: string;
  encounter_id: string | null;
  drug_name: string;
  /** RxNorm concept id (RXCUI): digits only. */
  rxnorm_code: string | null;
  /** Lower-case class of the drug (`penicillins`); null when unknown. */
  drug_class: string | null;
  dose: string;
  route: MedicationRoute;
  frequency: string;
  quantity: number;
  refills: number;
  /** The prescribing provider (a PMS provider id). */
  prescriber_id: string;
  /** Why the prescriber went ahead despite drug-allergy alerts; set only when there were some. */
  override_reason: string | null;
  status: ColumnType<MedicationStatus, MedicationStatus | undefined, MedicationStatus>;
  recorded_by: string;
  created_at: CreatedAt;
  stopped_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  stopped_by: string | null;
}

/** The allergy status, problem list and medication tables of the `ehr` schema. */
export interface EhrMedicationTables {
  'ehr.allergy_status': AllergyStatusTable;
  'ehr.problem': ProblemTable;
  'ehr.prescription': PrescriptionTable;
}

export type AllergyStatusRow = Selectable<AllergyStatusTable>;
export type ProblemRow = Selectable<ProblemTable>;
export type NewProblem = Insertable<ProblemTable>;
export type PrescriptionRow = Selectable<PrescriptionTable>;
export type NewPrescription = Insertable<PrescriptionTable>;

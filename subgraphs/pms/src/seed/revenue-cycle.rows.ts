import type {
  AppointmentStatus,
  BulkRows,
  ClaimStatus,
  EligibilityOutcome,
  EncounterStatus,
  InboxOutcome,
  NoteKind,
  NoteStatus,
  PaymentMethod,
  SeedDatabase,
} from '@chartbridge/db';
import type { RemittanceRows } from './remittance-book.js';

// The rows the revenue-cycle seed writes, one interface per table with every column it sets (ids
// and times included, so the same seed gives the same rows), listed parents before children for
// `bulkInsert`.

export interface CoverageInsert {
  id: string;
  patient_id: string;
  payer_id: string;
  rank: 'primary';
  member_id: string;
  group_number: string;
  plan_name: string;
  subscriber_name: null;
  relationship: 'self';
  effective_from: string;
  effective_to: string;
  copay_cents: number;
  deductible_cents: number;
  deductible_met_cents: number;
  created_by: string;
  created_at: Date;
}

export interface EncounterInsert {
  id: string;
  patient_id: string;
  provider_id: string;
  service_date: string;
  status: EncounterStatus;
  created_at: Date;
}

/** A front-desk eligibility check before a visit, as the built-in adapter answers it. */
export interface EligibilityCheckInsert {
  id: string;
  coverage_id: string;
  patient_id: string;
  date_of_service: string;
  checked_by: string;
  checked_at: Date;
  adapter: string;
  outcome: EligibilityOutcome;
  copay_cents: number | null;
  remaining_deductible_cents: number | null;
  message: string | null;
  /** The adapter's answer as JSON text (as Kysely inserts `jsonb`). */
  raw_response: string;
}

export interface AppointmentInsert {
  id: string;
  patient_id: string;
  provider_id: string;
  location_id: string;
  room_id: string | null;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  reason: string;
  encounter_id: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface NoteInsert {
  id: string;
  encounter_id: string;
  patient_id: string;
  author_id: string;
  kind: NoteKind;
  status: NoteStatus;
  subjective: string;
  objective: string | null;
  assessment: string | null;
  plan: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  signed_at: Date | null;
  signed_by: string | null;
}

export interface AddendumInsert {
  id: string;
  note_id: string;
  author_id: string;
  text: string;
  changes_coding: boolean;
  recorded_by: string;
  created_at: Date;
}

export interface DiagnosisInsert {
  id: string;
  encounter_id: string;
  patient_id: string;
  code: string;
  description: string;
  recorded_by: string;
  created_at: Date;
}

export interface ProcedureInsert {
  id: string;
  encounter_id: string;
  patient_id: string;
  note_id: string;
  code: string;
  code_system: 'cpt' | 'hcpcs';
  display: string;
  units: number;
  modifiers: string[];
  performer_id: string;
  recorded_by: string;
  created_at: Date;
}

export interface LinkInsert {
  procedure_id: string;
  diagnosis_id: string;
  position: number;
}

/** The EHR's outbox row of an `encounter.documented` event, delivered by the relay. */
export interface OutboxInsert {
  id: string;
  event_type: string;
  aggregate_id: string;
  payload: string;
  created_at: Date;
  published_at: Date;
  attempts: number;
  next_attempt_at: Date;
}

/** The PMS's record of an event it received. */
export interface InboxInsert {
  event_id: string;
  event_type: string;
  aggregate_id: string;
  occurred_at: Date;
  received_at: Date;
  outcome: InboxOutcome;
  claim_id: string;
}

export interface ClaimInsert {
  id: string;
  encounter_id: string;
  patient_id: string;
  provider_id: string;
  status: ClaimStatus;
  total_charge_cents: number;
  capture_issues: string;
  snapshot: string;
  source_event_id: string;
  source_event_at: Date;
  created_at: Date;
  updated_at: Date;
  payer_id: string | null;
  coverage_id: string | null;
  location_id: string;
  submitted_at: Date | null;
  first_submitted_at: Date | null;
  first_submission_clean: boolean | null;
  adjudicated_at: Date | null;
}

export interface ClaimLineInsert {
  id: string;
  claim_id: string;
  line_number: number;
  procedure_id: string;
  procedure_code: string;
  code_system: 'cpt' | 'hcpcs';
  display: string;
  units: number;
  modifiers: string[];
  charge_cents: number;
  service_date: string;
  rendering_provider_id: string;
  pointers: number[];
}

export interface ClaimDiagnosisInsert {
  claim_id: string;
  position: number;
  code: string;
  description: string;
}

export interface AppealInsert {
  id: string;
  claim_id: string;
  reason: string;
  appealed_by: string;
  appealed_at: Date;
}

export interface PatientPaymentInsert {
  id: string;
  patient_id: string;
  claim_id: string | null;
  amount_cents: number;
  method: PaymentMethod;
  reference: string | null;
  received_on: string;
  posted_by: string;
  posted_at: Date;
}

/** Everything one batch of patients adds, plus the remittances whose block of patients is complete. */
export interface RevenueCyclePlan {
  readonly coverages: CoverageInsert[];
  readonly encounters: EncounterInsert[];
  readonly appointments: AppointmentInsert[];
  readonly eligibilityChecks: EligibilityCheckInsert[];
  readonly notes: NoteInsert[];
  readonly addenda: AddendumInsert[];
  readonly diagnoses: DiagnosisInsert[];
  readonly procedures: ProcedureInsert[];
  readonly links: LinkInsert[];
  readonly outbox: OutboxInsert[];
  readonly inbox: InboxInsert[];
  readonly claims: ClaimInsert[];
  readonly claimLines: ClaimLineInsert[];
  readonly claimDiagnoses: ClaimDiagnosisInsert[];
  readonly appeals: AppealInsert[];
  readonly patientPayments: PatientPaymentInsert[];
  remittances: RemittanceRows;
}

export function emptyPlan(): RevenueCyclePlan {
  return {
    coverages: [],
    encounters: [],
    appointments: [],
    eligibilityChecks: [],
    notes: [],
    addenda: [],
    diagnoses: [],
    procedures: [],
    links: [],
    outbox: [],
    inbox: [],
    claims: [],
    claimLines: [],
    claimDiagnoses: [],
    appeals: [],
    patientPayments: [],
    remittances: { remittances: [], lines: [], adjustments: [] },
  };
}

/** Remittances with their lines and adjustments (after the claims and claim lines they name). */
export function remittanceRows(rows: RemittanceRows): Array<BulkRows<SeedDatabase>> {
  return [
    { table: 'pms.remittance', rows: rows.remittances },
    { table: 'pms.remittance_line', rows: rows.lines },
    { table: 'pms.remittance_adjustment', rows: rows.adjustments },
  ];
}

/** A plan's rows, parents before children. */
export function planRows(plan: RevenueCyclePlan): Array<BulkRows<SeedDatabase>> {
  return [
    { table: 'pms.coverage', rows: plan.coverages },
    { table: 'pms.encounter', rows: plan.encounters },
    { table: 'pms.appointment', rows: plan.appointments },
    { table: 'pms.eligibility_check', rows: plan.eligibilityChecks, json: ['raw_response'] },
    { table: 'ehr.clinical_note', rows: plan.notes },
    { table: 'ehr.note_addendum', rows: plan.addenda },
    { table: 'ehr.diagnosis', rows: plan.diagnoses },
    { table: 'ehr.procedure', rows: plan.procedures },
    { table: 'ehr.procedure_diagnosis', rows: plan.links },
    { table: 'ehr.outbox', rows: plan.outbox, json: ['payload'] },
    { table: 'pms.claim', rows: plan.claims, json: ['capture_issues', 'snapshot'] },
    { table: 'pms.event_inbox', rows: plan.inbox },
    { table: 'pms.claim_line', rows: plan.claimLines },
    { table: 'pms.claim_diagnosis', rows: plan.claimDiagnoses },
    { table: 'pms.claim_appeal', rows: plan.appeals },
    { table: 'pms.patient_payment', rows: plan.patientPayments },
    ...remittanceRows(plan.remittances),
  ];
}

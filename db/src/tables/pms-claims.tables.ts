import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, DateColumn } from './pms.tables.js';

export type ClaimStatus =
  'draft' | 'ready' | 'submitted' | 'accepted' | 'rejected' | 'paid' | 'partially_paid' | 'denied' | 'appealed' | 'void';
export type ClaimCodeSystem = 'cpt' | 'hcpcs';

/** What charge capture could not settle on a claim: a code and, for a line's problem, its number. No PHI. */
export interface ClaimCaptureIssue {
  readonly code: 'NO_FEE' | 'TOO_MANY_DIAGNOSES' | 'UNKNOWN_RENDERING_PROVIDER';
  readonly message: string;
  readonly lineNumber: number | null;
}

type Json<T> = ColumnType<T, string, string>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** The practice's charge for a code from a date on; amounts are integer cents. */
export interface FeeScheduleTable {
  code_system: ClaimCodeSystem;
  code: string;
  amount_cents: number;
  effective_from: DateColumn;
  created_at: CreatedAt;
}

/** A professional claim (837P shape) for one encounter; at most one not void per encounter. */
export interface ClaimTable {
  id: Generated<string>;
  encounter_id: string;
  patient_id: string;
  provider_id: string;
  status: ColumnType<ClaimStatus, ClaimStatus | undefined, ClaimStatus>;
  total_charge_cents: number;
  capture_issues: Json<ClaimCaptureIssue[]>;
  /** The documented facts the lines came from (the event: codes, ids, dates; no note text). */
  snapshot: Json<unknown>;
  source_event_id: string;
  source_event_at: ColumnType<Date, Date | string, Date | string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** The payer billed: the primary coverage in force on the date of service, set at submission. */
  payer_id: ColumnType<string | null, string | null | undefined, string | null>;
  coverage_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Where the visit took place (the checked-in appointment's location), when known. */
  location_id: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_at: NullableTime;
  first_submitted_at: NullableTime;
  /** Whether the first submission had no scrubbing finding at all (the clean claim rate's numerator). */
  first_submission_clean: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  /** When the first remittance for the claim was posted. */
  adjudicated_at: NullableTime;
}

type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ClaimLineTable {
  id: Generated<string>;
  claim_id: string;
  line_number: number;
  /** The EHR's documented procedure this line bills. */
  procedure_id: string;
  procedure_code: string;
  code_system: ClaimCodeSystem;
  display: string;
  units: number;
  modifiers: ColumnType<string[], string[] | undefined, string[]>;
  charge_cents: number;
  service_date: DateColumn;
  rendering_provider_id: string;
  /** Positions (1 to 12) in the claim's diagnosis list, at most 4, in the EHR's linkage order. */
  pointers: ColumnType<number[], number[] | undefined, number[]>;
}

export interface ClaimDiagnosisTable {
  claim_id: string;
  position: number;
  code: string;
  description: string;
}

export type InboxOutcome = 'applied' | 'stale' | 'claim_not_draft';

/** Every event the PMS received, once (the idempotency of its consumers). */
export interface EventInboxTable {
  event_id: string;
  event_type: string;
  aggregate_id: string;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  received_at: CreatedAt;
  outcome: InboxOutcome;
  claim_id: string | null;
}

export type AdjustmentGroup = 'CO' | 'PR' | 'OI' | 'PI';
export type PaymentMethod = 'cash' | 'check' | 'card' | 'other';

/** A payer's payment advice (835): unique per payer and trace (check or EFT) number. */
export interface RemittanceTable {
  id: Generated<string>;
  payer_id: string;
  trace_number: string;
  payment_date: DateColumn;
  total_paid_cents: number;
  content_hash: string;
  posted_by: string;
  posted_at: CreatedAt;
}

/** A remittance's adjudication of one claim line. */
export interface RemittanceLineTable {
  id: Generated<string>;
  remittance_id: string;
  claim_id: string;
  claim_line_id: string;
  payment_date: DateColumn;
  allowed_cents: number;
  paid_cents: number;
  patient_responsibility_cents: number;
  /** Paid nothing, with an adjustment other than the patient's share: the line was denied. */
  denied: boolean;
  /** For a payer's reversal: the posting this line negates (its amounts are that posting's, negated). */
  reverses_line_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** An adjustment on a remittance line: group code and CARC reason. */
export interface RemittanceAdjustmentTable {
  id: Generated<string>;
  remittance_line_id: string;
  claim_id: string;
  payment_date: DateColumn;
  group_code: AdjustmentGroup;
  reason_code: string;
  amount_cents: number;
}

export interface PatientPaymentTable {
  id: Generated<string>;
  patient_id: string;
  claim_id: string | null;
  amount_cents: number;
  method: PaymentMethod;
  reference: string | null;
  received_on: DateColumn;
  posted_by: string;
  posted_at: CreatedAt;
}

export interface ClaimAppealTable {
  id: Generated<string>;
  claim_id: string;
  reason: string;
  appealed_by: string;
  appealed_at: CreatedAt;
}

/** The charge-capture tables of the `pms` schema. */
export interface PmsClaimTables {
  'pms.fee_schedule': FeeScheduleTable;
  'pms.claim': ClaimTable;
  'pms.claim_line': ClaimLineTable;
  'pms.claim_diagnosis': ClaimDiagnosisTable;
  'pms.event_inbox': EventInboxTable;
  'pms.remittance': RemittanceTable;
  'pms.remittance_line': RemittanceLineTable;
  'pms.remittance_adjustment': RemittanceAdjustmentTable;
  'pms.patient_payment': PatientPaymentTable;
  'pms.claim_appeal': ClaimAppealTable;
}

export type FeeScheduleRow = Selectable<FeeScheduleTable>;
export type ClaimRow = Selectable<ClaimTable>;
export type NewClaim = Insertable<ClaimTable>;
export type ClaimLineRow = Selectable<ClaimLineTable>;
export type NewClaimLine = Insertable<ClaimLineTable>;
export type ClaimDiagnosisRow = Selectable<ClaimDiagnosisTable>;
export type EventInboxRow = Selectable<EventInboxTable>;
export type RemittanceRow = Selectable<RemittanceTable>;
export type RemittanceLineRow = Selectable<RemittanceLineTable>;
export type RemittanceAdjustmentRow = Selectable<RemittanceAdjustmentTable>;
export type PatientPaymentRow = Selectable<PatientPaymentTable>;
export type ClaimAppealRow = Selectable<ClaimAppealTable>;

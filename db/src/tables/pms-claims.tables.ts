import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, DateColumn } from './pms.tables.js';

export type ClaimStatus = 'draft' | 'ready' | 'submitted' | 'accepted' | 'rejected' | 'paid' | 'partially_paid' | 'denied' | 'appealed' | 'void';
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
}

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

/** The charge-capture tables of the `pms` schema. */
export interface PmsClaimTables {
  'pms.fee_schedule': FeeScheduleTable;
  'pms.claim': ClaimTable;
  'pms.claim_line': ClaimLineTable;
  'pms.claim_diagnosis': ClaimDiagnosisTable;
  'pms.event_inbox': EventInboxTable;
}

export type FeeScheduleRow = Selectable<FeeScheduleTable>;
export type ClaimRow = Selectable<ClaimTable>;
export type NewClaim = Insertable<ClaimTable>;
export type ClaimLineRow = Selectable<ClaimLineTable>;
export type NewClaimLine = Insertable<ClaimLineTable>;
export type ClaimDiagnosisRow = Selectable<ClaimDiagnosisTable>;
export type EventInboxRow = Selectable<EventInboxTable>;

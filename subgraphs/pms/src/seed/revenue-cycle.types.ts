import type { CoverageRow, ProviderRow, SeedPatient } from '@chartbridge/db';
import type { DiagnosisInsert, ProcedureInsert, RevenueCyclePlan } from './revenue-cycle.rows.js';
import type { Booking } from './schedule-book.js';
import type { Sex, VisitTemplate } from './visit-templates.js';

// What the revenue-cycle seed's parts share: the practice's facts read at the start, and one
// patient's, visit's and signature's facts as the seed works through them.

/** What the stage reads and keeps at its start. */
export interface PracticeFacts {
  readonly providers: readonly ProviderRow[];
  readonly providerById: ReadonlyMap<string, ProviderRow>;
  readonly providerIds: ReadonlySet<string>;
  readonly payers: ReadonlyArray<{ readonly id: string; readonly code: string; readonly name: string }>;
  readonly locationId: string;
  readonly roomIds: readonly string[];
  readonly diagnosisDescriptions: ReadonlyMap<string, string>;
  readonly hcpcsDescriptions: ReadonlyMap<string, string>;
  /** Per fee key, the fee's rows, latest first. */
  readonly fees: ReadonlyMap<string, ReadonlyArray<{ readonly from: string; readonly cents: number }>>;
}

/** The patient being seeded, with the rows planned for the batch. */
export interface PatientContext {
  readonly patient: SeedPatient;
  readonly sex: Sex;
  /** Every coverage the patient has had, as the PMS reads them. */
  readonly coverages: readonly CoverageRow[];
  /** The patient's block of remittances (see `RemittanceBook`). */
  readonly block: number;
  readonly plan: RevenueCyclePlan;
}

/** A completed visit: its appointment's booking, encounter and template. */
export interface Visit {
  readonly encounterId: string;
  readonly providerIndex: number;
  readonly booking: Booking;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly checkedInAt: Date;
  readonly template: VisitTemplate;
  readonly established: boolean;
}

/** The signed documentation of a visit, as the EHR holds it at signing. */
export interface Signed {
  readonly noteId: string;
  readonly signedAt: Date;
  readonly diagnoses: readonly DiagnosisInsert[];
  readonly procedures: readonly ProcedureInsert[];
  /** Per procedure, its linked diagnoses in pointer order. */
  readonly links: ReadonlyMap<string, readonly DiagnosisInsert[]>;
}

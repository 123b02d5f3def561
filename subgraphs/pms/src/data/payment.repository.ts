import type {
  AdjustmentGroup,
  ClaimAppealRow,
  ClaimRow,
  PatientPaymentRow,
  PaymentMethod,
  PmsDatabase,
  RemittanceAdjustmentRow,
  RemittanceLineRow,
  RemittanceRow,
} from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';

export interface NewRemittance {
  readonly payerId: string;
  readonly traceNumber: string;
  readonly paymentDate: string;
  readonly totalPaidCents: number;
  readonly contentHash: string;
  readonly postedBy: string;
}

/**
 * Inserts a remittance unless the payer already has one with this trace number; returns the new
 * row, or undefined when it existed. A concurrent insert of the same trace waits on the unique index
 * until the first commits, then finds it: the trace posts once.
 */
export async function insertRemittanceOnce(trx: Transaction<PmsDatabase>, row: NewRemittance): Promise<RemittanceRow | undefined> {
  return trx
    .insertInto('pms.remittance')
    .values({
      payer_id: row.payerId,
      trace_number: row.traceNumber,
      payment_date: row.paymentDate,
      total_paid_cents: row.totalPaidCents,
      content_hash: row.contentHash,
      posted_by: row.postedBy,
    })
    .onConflict((oc) => oc.columns(['payer_id', 'trace_number']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findRemittanceByTrace(
  db: Kysely<PmsDatabase>,
  payerId: string,
  traceNumber: string,
): Promise<RemittanceRow | undefined> {
  return db
    .selectFrom('pms.remittance')
    .selectAll()
    .where('payer_id', '=', payerId)
    .where('trace_number', '=', traceNumber)
    .executeTakeFirst();
}

export async function findRemittancesByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<RemittanceRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.remittance').selectAll().where('id', 'in', valid).execute();
}

/** These claims, locked for posting, in id order (a fixed order, so two postings cannot deadlock). */
export async function lockClaims(trx: Transaction<PmsDatabase>, ids: readonly string[]): Promise<ClaimRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return trx.selectFrom('pms.claim').selectAll().where('id', 'in', valid).orderBy('id').forUpdate().execute();
}

export interface NewRemittanceLine {
  readonly claimId: string;
  readonly claimLineId: string;
  readonly allowedCents: number;
  readonly paidCents: number;
  readonly patientResponsibilityCents: number;
  readonly denied: boolean;
  /** For a reversal: the posting this line negates. */
  readonly reversesLineId: string | null;
  readonly adjustments: ReadonlyArray<{ readonly group: AdjustmentGroup; readonly reason: string; readonly amountCents: number }>;
}

/** Writes a remittance's lines and their adjustments: two statements, whatever the number of lines. */
export async function insertRemittanceLines(
  trx: Transaction<PmsDatabase>,
  remittance: RemittanceRow,
  lines: readonly NewRemittanceLine[],
): Promise<void> {
  if (lines.length === 0) return;
  // Ids made here tie each adjustment to its line without relying on the order RETURNING gives rows in.
  const withIds = lines.map((l) => ({ ...l, id: randomUUID() }));
  await trx
    .insertInto('pms.remittance_line')
    .values(
      withIds.map((l) => ({
        id: l.id,
        remittance_id: remittance.id,
        claim_id: l.claimId,
        claim_line_id: l.claimLineId,
        payment_date: remittance.payment_date,
        allowed_cents: l.allowedCents,
        paid_cents: l.paidCents,
        patient_responsibility_cents: l.patientResponsibilityCents,
        denied: l.denied,
        reverses_line_id: l.reversesLineId,
      })),
    )
    .execute();
  const adjustments = withIds.flatMap((l) =>
    l.adjustments.map((a) => ({
      remittance_line_id: l.id,
      claim_id: l.claimId,
      payment_date: remittance.payment_date,
      group_code: a.group,
      reason_code: a.reason,
      amount_cents: a.amountCents,
    })),
  );
  if (adjustments.length > 0) await trx.insertInto('pms.remittance_adjustment').values(adjustments).execute();
}

/** Records a claim's adjudication: its status, and the first adjudication's time when it had none. */
export async function updateClaimAdjudication(trx: Transaction<PmsDatabase>, id: string, status: ClaimRow['status']): Promise<ClaimRow> {
  return trx
    .updateTable('pms.claim')
    .set({ status, adjudicated_at: sql<Date>`coalesce(adjudicated_at, now())`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRemittanceLinesByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<RemittanceLineRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.remittance_line')
    .selectAll()
    .where('claim_id', 'in', valid)
    .orderBy('claim_id')
    .orderBy('payment_date')
    .orderBy('id')
    .execute();
}

export async function findRemittanceLinesByRemittanceIds(
  db: Kysely<PmsDatabase>,
  ids: readonly string[],
): Promise<Array<RemittanceLineRow & { patient_id: string }>> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.remittance_line as rl')
    .innerJoin('pms.claim as c', 'c.id', 'rl.claim_id')
    .selectAll('rl')
    .select('c.patient_id')
    .where('rl.remittance_id', 'in', valid)
    .orderBy('rl.remittance_id')
    .orderBy('rl.claim_id')
    .orderBy('rl.id')
    .execute();
}

export async function findAdjustmentsByRemittanceLineIds(
  db: Kysely<PmsDatabase>,
  ids: readonly string[],
): Promise<RemittanceAdjustmentRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.remittance_adjustment')
    .selectAll()
    .where('remittance_line_id', 'in', valid)
    .orderBy('remittance_line_id')
    .orderBy('id')
    .execute();
}

export async function findAdjustmentsByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<RemittanceAdjustmentRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.remittance_adjustment').selectAll().where('claim_id', 'in', valid).orderBy('claim_id').orderBy('id').execute();
}

export async function findPatientPaymentsByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<PatientPaymentRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.patient_payment').selectAll().where('claim_id', 'in', valid).orderBy('received_on').orderBy('id').execute();
}

/** Payments on account (not applied to a claim) of these patients. */
export async function findUnappliedPaymentsByPatientIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<PatientPaymentRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.patient_payment')
    .selectAll()
    .where('patient_id', 'in', valid)
    .where('claim_id', 'is', null)
    .orderBy('received_on')
    .orderBy('id')
    .execute();
}

export async function insertPatientPayment(
  trx: Transaction<PmsDatabase>,
  row: {
    patientId: string;
    claimId: string | null;
    amountCents: number;
    method: PaymentMethod;
    reference: string | null;
    receivedOn: string;
    postedBy: string;
  },
): Promise<PatientPaymentRow> {
  return trx
    .insertInto('pms.patient_payment')
    .values({
      patient_id: row.patientId,
      claim_id: row.claimId,
      amount_cents: row.amountCents,
      method: row.method,
      reference: row.reference,
      received_on: row.receivedOn,
      posted_by: row.postedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertAppeal(
  trx: Transaction<PmsDatabase>,
  row: { claimId: string; reason: string; appealedBy: string },
): Promise<ClaimAppealRow> {
  return trx
    .insertInto('pms.claim_appeal')
    .values({ claim_id: row.claimId, reason: row.reason, appealed_by: row.appealedBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findAppealsByClaimIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ClaimAppealRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.claim_appeal').selectAll().where('claim_id', 'in', valid).orderBy('claim_id').orderBy('appealed_at').execute();
}

/** The denial work queue: denied and partially paid claims, oldest adjudication first, keyset-paginated. */
export async function findDeniedClaims(
  db: Kysely<PmsDatabase>,
  page: { readonly first: number; readonly after: { readonly at: string; readonly id: string } | null; readonly payerId: string | null },
): Promise<ClaimRow[]> {
  let query = db.selectFrom('pms.claim').selectAll().where('status', 'in', ['denied', 'partially_paid']);
  if (page.payerId) query = query.where('payer_id', '=', page.payerId);
  if (page.after) {
    const { at, id } = page.after;
    query = query.where((eb) =>
      eb.or([eb('adjudicated_at', '>', new Date(at)), eb.and([eb('adjudicated_at', '=', new Date(at)), eb('id', '>', id)])]),
    );
  }
  return query
    .orderBy('adjudicated_at')
    .orderBy('id')
    .limit(page.first + 1)
    .execute();
}

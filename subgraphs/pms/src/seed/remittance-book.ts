import { contentHash } from '@chartbridge/db';
import { isDenied, type RemittanceLineInput } from '../rules/remittance.js';

// Groups the seed's adjudications into payers' remittances: one per payer, payment date and block
// of patients (so a remittance is complete, and written, once its block of patients is), each with
// a unique trace number and the content hash the payment-posting service would have computed.

/** Patients per remittance block: a few thousand claims per payer and week at most. */
export const REMITTANCE_BLOCK_PATIENTS = 2_000;

/** One claim's part of a remittance, with the ids its rows will have. */
export interface RemittanceEntry {
  readonly claimId: string;
  /** In line order: each adjudicated line with its row's id, the claim line it adjudicates and its adjustments' ids. */
  readonly lines: ReadonlyArray<{
    readonly id: string;
    readonly claimLineId: string;
    readonly adjustmentIds: readonly string[];
    readonly input: RemittanceLineInput;
  }>;
}

export interface RemittanceInsert {
  id: string;
  payer_id: string;
  trace_number: string;
  payment_date: string;
  total_paid_cents: number;
  content_hash: string;
  posted_by: string;
  posted_at: Date;
}

export interface RemittanceLineInsert {
  id: string;
  remittance_id: string;
  claim_id: string;
  claim_line_id: string;
  payment_date: string;
  allowed_cents: number;
  paid_cents: number;
  patient_responsibility_cents: number;
  denied: boolean;
}

export interface RemittanceAdjustmentInsert {
  id: string;
  remittance_line_id: string;
  claim_id: string;
  payment_date: string;
  group_code: 'CO' | 'PR' | 'OI' | 'PI';
  reason_code: string;
  amount_cents: number;
}

export interface RemittanceRows {
  readonly remittances: RemittanceInsert[];
  readonly lines: RemittanceLineInsert[];
  readonly adjustments: RemittanceAdjustmentInsert[];
}

interface OpenRemittance {
  readonly block: number;
  readonly id: string;
  readonly payerId: string;
  readonly traceNumber: string;
  readonly paymentDate: string;
  readonly postedAt: Date;
  readonly entries: RemittanceEntry[];
}

export class RemittanceBook {
  readonly #open = new Map<string, OpenRemittance>();

  /**
   * Adds a claim's adjudication to its payer's remittance of that payment date for the patient's
   * block, opening the remittance (with `newId`) if it is the first.
   */
  add(
    block: number,
    payer: { readonly id: string; readonly code: string },
    paymentDate: string,
    postedAt: Date,
    newId: () => string,
    entry: RemittanceEntry,
  ): string {
    const key = `${block}|${payer.id}|${paymentDate}`;
    let remittance = this.#open.get(key);
    if (!remittance) {
      const traceNumber = `${payer.code}-${paymentDate.replaceAll('-', '')}-${String(block + 1).padStart(3, '0')}`;
      remittance = { block, id: newId(), payerId: payer.id, traceNumber, paymentDate, postedAt, entries: [] };
      this.#open.set(key, remittance);
    }
    remittance.entries.push(entry);
    return remittance.id;
  }

  /** The rows of every remittance of the blocks before `block` (all of them when omitted), which leave the book. */
  close(block = Number.POSITIVE_INFINITY): RemittanceRows {
    const rows: RemittanceRows = { remittances: [], lines: [], adjustments: [] };
    for (const [key, r] of this.#open) {
      if (r.block >= block) continue;
      this.#open.delete(key);
      const entries = r.entries.map((e) => ({ claimId: e.claimId, lines: e.lines.map((l) => l.input) }));
      rows.remittances.push({
        id: r.id,
        payer_id: r.payerId,
        trace_number: r.traceNumber,
        payment_date: r.paymentDate,
        total_paid_cents: entries.reduce((sum, e) => sum + e.lines.reduce((s, l) => s + l.paidCents, 0), 0),
        // The posting service's hash of what was posted: a replay of this trace would match it.
        content_hash: contentHash({ payerId: r.payerId, traceNumber: r.traceNumber, paymentDate: r.paymentDate, entries }),
        posted_by: 'seed',
        posted_at: r.postedAt,
      });
      for (const entry of r.entries) {
        for (const { id, claimLineId, adjustmentIds, input } of entry.lines) {
          rows.lines.push({
            id,
            remittance_id: r.id,
            claim_id: entry.claimId,
            claim_line_id: claimLineId,
            payment_date: r.paymentDate,
            allowed_cents: input.allowedCents,
            paid_cents: input.paidCents,
            patient_responsibility_cents: input.patientResponsibilityCents,
            denied: isDenied(input),
          });
          input.adjustments.forEach((a, j) => {
            const adjustmentId = adjustmentIds[j];
            if (adjustmentId === undefined) throw new Error('Every adjustment needs its id');
            rows.adjustments.push({
              id: adjustmentId,
              remittance_line_id: id,
              claim_id: entry.claimId,
              payment_date: r.paymentDate,
              group_code: a.group,
              reason_code: a.reason,
              amount_cents: a.amountCents,
            });
          });
        }
      }
    }
    return rows;
  }
}

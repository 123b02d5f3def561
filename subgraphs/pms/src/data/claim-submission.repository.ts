import type { ClaimRow, PmsDatabase } from '@chartbridge/db';
import { sql, type Transaction } from 'kysely';

/** A claim, locked for its status change. */
export async function lockClaim(trx: Transaction<PmsDatabase>, id: string): Promise<ClaimRow | undefined> {
  return trx.selectFrom('pms.claim').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateClaimStatus(trx: Transaction<PmsDatabase>, id: string, status: ClaimRow['status']): Promise<ClaimRow> {
  return trx
    .updateTable('pms.claim')
    .set({ status, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Moves a claim to submitted with whom it is billed to; the first submission's time and whether it
 * was clean (no scrubbing finding at all) are kept from the first time on.
 */
export async function markSubmitted(
  trx: Transaction<PmsDatabase>,
  id: string,
  billed: { readonly payerId: string; readonly coverageId: string; readonly clean: boolean },
): Promise<ClaimRow> {
  return trx
    .updateTable('pms.claim')
    .set({
      status: 'submitted',
      payer_id: billed.payerId,
      coverage_id: billed.coverageId,
      submitted_at: sql<Date>`now()`,
      first_submitted_at: sql<Date>`coalesce(first_submitted_at, now())`,
      first_submission_clean: sql<boolean>`coalesce(first_submission_clean, ${billed.clean})`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

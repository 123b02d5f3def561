import type { ClaimRow, PmsDatabase } from '@chartbridge/db';
import { sql, type Transaction } from 'kysely';

/** A claim, locked for its status change. */
export async function lockClaim(trx: Transaction<PmsDatabase>, id: string): Promise<ClaimRow | undefined> {
  return trx.selectFrom('pms.claim').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateClaimStatus(trx: Transaction<PmsDatabase>, id: string, status: ClaimRow['status']): Promise<ClaimRow> {
  return trx.updateTable('pms.claim').set({ status, updated_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}


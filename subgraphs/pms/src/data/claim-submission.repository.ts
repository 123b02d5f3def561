import type { ClaimRow, PmsDatabase } from '@chartbridge/db';
import { sql, type Kysely, type Transaction } from 'kysely';

/** A claim, locked for its status change. */
export async function lockClaim(trx: Transaction<PmsDatabase>, id: string): Promise<ClaimRow | undefined> {
  return trx.selectFrom('pms.claim').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateClaimStatus(trx: Transaction<PmsDatabase>, id: string, status: ClaimRow['status']): Promise<ClaimRow> {
  return trx.updateTable('pms.claim').set({ status, updated_at: sql<Date>`now()` }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The NPIs of these providers, by id. */
export async function findProviderNpis(db: Kysely<PmsDatabase> | Transaction<PmsDatabase>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('pms.provider').select(['id', 'npi']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r.npi]));
}

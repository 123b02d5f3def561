import type { PmsDatabase, ProviderRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely } from 'kysely';

export async function findProvidersByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<ProviderRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.provider').selectAll().where('id', 'in', valid).execute();
}

/** One page of providers ordered by family name then id, fetched `limit + 1` rows deep. */
export async function listProviders(
  db: Kysely<PmsDatabase>,
  query: { readonly limit: number; readonly after?: readonly [family: string, id: string] },
): Promise<ProviderRow[]> {
  let q = db.selectFrom('pms.provider').selectAll();
  if (query.after) {
    const [family, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('family_name', 'id'), '>', eb.tuple(family, id)));
  }
  return q
    .orderBy('family_name')
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
}

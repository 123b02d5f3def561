import type { Kysely, Transaction } from 'kysely';
import type { AuditChain, AuditDatabase, AuditEventRow } from '../tables/audit.tables.js';
import { AUDIT_CHAINS, auditEventHash } from './audit-chain.js';

/** Either every chain is intact (with its row count), or where the first broken link is and why. */
export type VerifyResult =
  | { readonly ok: true; readonly chains: Readonly<Record<string, number>> }
  | {
      readonly ok: false;
      readonly chain: string;
      readonly seq: number;
      /** The offending row, or null when the row at `seq` is missing. */
      readonly id: string | null;
      readonly reason: string;
    };

type BrokenLink = Omit<Extract<VerifyResult, { ok: false }>, 'ok' | 'chain'>;

// Rows per keyset page: a few MB of memory whatever the size of the table.
const PAGE_SIZE = 5000;

function aliased<DB>(db: Kysely<DB> | Transaction<DB>): Kysely<AuditDatabase> {
  // The caller's view of the tables does not matter: audit.event is reached by name.
  return db as unknown as Kysely<AuditDatabase>;
}

/** What is wrong with `row` as the chain's row number `expectedSeq` after a row hashed `prevHash`. */
function brokenLink(row: AuditEventRow, expectedSeq: number, prevHash: string | null): BrokenLink | undefined {
  if (row.seq > expectedSeq) return { seq: expectedSeq, id: null, reason: `seq ${expectedSeq} missing (row deleted)` };
  if (row.seq < expectedSeq) return { seq: row.seq, id: row.id, reason: `seq ${row.seq} out of order (row inserted)` };
  if (auditEventHash(row) !== row.hash) return { seq: row.seq, id: row.id, reason: 'hash mismatch (row edited)' };
  if (row.prev_hash !== prevHash) {
    const reason =
      expectedSeq === 1
        ? 'prev_hash set on the first row (row inserted out of order)'
        : `prev_hash does not match seq ${expectedSeq - 1} (row inserted out of order)`;
    return { seq: row.seq, id: row.id, reason };
  }
  return undefined;
}

async function verifyChain(
  db: Kysely<AuditDatabase>,
  chain: AuditChain,
  onProgress: (checked: number) => void,
): Promise<{ readonly rows: number } | BrokenLink> {
  let checked = 0;
  let prevHash: string | null = null;
  for (;;) {
    // Keyset on the (chain, seq) unique index: each page is an index range scan, whatever its depth.
    const page = await db
      .selectFrom('audit.event')
      .selectAll()
      .where('chain', '=', chain)
      .where('seq', '>', checked)
      .orderBy('seq')
      .limit(PAGE_SIZE)
      .execute();
    for (const row of page) {
      const broken = brokenLink(row, checked + 1, prevHash);
      if (broken) return broken;
      prevHash = row.hash;
      checked += 1;
    }
    onProgress(checked);
    if (page.length < PAGE_SIZE) return { rows: checked };
  }
}

/**
 * Walks every chain of `audit.event` in seq order and recomputes each row's hash. A chain is intact
 * when its seqs run 1, 2, 3... with no gap, every row's hash matches its columns, and every row's
 * `prev_hash` is the hash of the row before (null for seq 1). Stops at the first broken link.
 *
 * Reads in pages of 5000 rows, each its own statement, so it holds no long transaction and may run
 * against a live database: rows appended meanwhile are checked if the walk reaches them.
 * `onProgress` gets the number of rows checked so far, over all chains, after each page.
 *
 * What it cannot see: rows removed from the end of a chain, and a chain rewritten from the tampered
 * row onwards with recomputed hashes. Catching those needs the chain heads kept somewhere the
 * database owner cannot write.
 *
 * Never throws for a broken chain (that is a result); throws if the database cannot be read.
 * The result never holds row contents, only positions and ids.
 */
export async function verifyAuditChains<DB>(
  db: Kysely<DB> | Transaction<DB>,
  onProgress?: (checked: number) => void,
): Promise<VerifyResult> {
  const chains: Record<string, number> = {};
  let checkedBefore = 0;
  for (const chain of AUDIT_CHAINS) {
    const result = await verifyChain(aliased(db), chain, (checked) => onProgress?.(checkedBefore + checked));
    if (!('rows' in result)) return { ok: false, chain, ...result };
    chains[chain] = result.rows;
    checkedBefore += result.rows;
  }
  return { ok: true, chains: Object.freeze(chains) };
}

/**
 * The last seq of each chain (0 when empty): its row count while it is intact. Reads the end of the
 * `(chain, seq)` index, so it is instant on any size of table; the verify command sizes its progress
 * bar with it.
 */
export async function auditChainLengths<DB>(db: Kysely<DB> | Transaction<DB>): Promise<Readonly<Record<AuditChain, number>>> {
  const lengths: Record<AuditChain, number> = { gateway: 0, pms: 0, ehr: 0 };
  for (const chain of AUDIT_CHAINS) {
    const last = await aliased(db)
      .selectFrom('audit.event')
      .select('seq')
      .where('chain', '=', chain)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    lengths[chain] = last?.seq ?? 0;
  }
  return Object.freeze(lengths);
}

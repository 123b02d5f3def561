import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditDatabase } from '../tables/audit.tables.js';

/**
 * For tests: runs `work` the way a tamperer holding the owner's login could, with the append-only
 * triggers disabled inside one transaction, and turns them back on (ALWAYS, as the migration left
 * them) before it commits. What `work` leaves behind is what `verifyAuditChains` must find.
 */
export async function asTamperer<DB>(db: Kysely<DB>, work: (trx: Transaction<AuditDatabase>) => Promise<void>): Promise<void> {
  await (db as unknown as Kysely<AuditDatabase>).transaction().execute(async (trx) => {
    await sql`alter table audit.event disable trigger user`.execute(trx);
    await work(trx);
    await sql`alter table audit.event enable always trigger event_refuse_change`.execute(trx);
    await sql`alter table audit.event enable always trigger event_refuse_truncate`.execute(trx);
  });
}

/** For tests: empties the audit trail behind the triggers, so each test starts from empty chains. */
export async function clearAuditTrail<DB>(db: Kysely<DB>): Promise<void> {
  await asTamperer(db, async (trx) => {
    await sql`truncate audit.event`.execute(trx);
  });
}

import { sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * Takes `lock` (a `lock table ...` statement) in a transaction on one connection of `db` and holds it
 * until the returned function is called, which rolls that transaction back and waits for it: what a
 * hung session or an operator's `LOCK TABLE` does to the statements that need those tables.
 */
export async function holdLock<DB>(db: Kysely<DB>, lock: RawBuilder<unknown>): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let signalLocked = () => {};
  const locked = new Promise<void>((resolve) => (signalLocked = resolve));
  const holder = db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    try {
      await lock.execute(conn);
      signalLocked();
      await released;
    } finally {
      await sql`rollback`.execute(conn);
    }
  });
  // A lock that cannot be taken fails here rather than leaving the caller waiting.
  await Promise.race([locked, holder]);
  return async () => {
    release();
    await holder;
  };
}

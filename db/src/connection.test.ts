import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from './connection.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from './testing/test-database.js';

// A server that ends connections (restarts, failovers, pg_terminate_backend, a proxy's idle limit)
// must cost the statements on them, not the process: an unheard pg 'error' event would end it.
describe.skipIf(!SERVER_URL)('connections the server ends', () => {
  let database: TestDatabase;
  let admin: Database<unknown>;
  let pool: Database<unknown>;
  const lost: Array<string | null> = [];

  beforeAll(async () => {
    database = await freshDatabase();
    admin = createDatabase<unknown>({ target: database.target, applicationName: 'connection-test-admin' });
    if (database.kind !== 'server') throw new Error('needs a PostgreSQL server');
    pool = createDatabase<unknown>({
      target: { kind: 'server', url: database.url, poolSize: 1 },
      applicationName: 'connection-test',
      onConnectionLost: (code) => lost.push(code),
    });
  });

  afterAll(async () => {
    await pool?.close();
    await admin?.close();
    await database?.drop();
  });

  const backendPid = async (): Promise<number> =>
    (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(pool.db)).rows[0]!.pid;
  const terminate = async (pid: number): Promise<void> => {
    await sql`select pg_terminate_backend(${pid})`.execute(admin.db);
    // Until the server has closed it and the client has heard.
    for (let i = 0; i < 100; i++) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where pid = ${pid}`.execute(admin.db);
      if (rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  };

  test('an idle one is reported and replaced: the next statement runs on a new backend', async () => {
    const before = await backendPid();
    lost.length = 0;
    await terminate(before);
    expect(lost).toEqual(['57P01']);
    const after = await backendPid();
    expect(after).not.toBe(before);
  });

  test("one ended between a transaction's statements fails that transaction only", async () => {
    const outcome = pool.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      await terminate(rows[0]!.pid);
      await sql`select 1`.execute(trx);
    });
    await expect(outcome).rejects.toThrow();
    expect(await backendPid()).toBeGreaterThan(0);
  });
});

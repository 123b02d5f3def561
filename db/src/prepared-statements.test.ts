import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendAudit } from './audit/audit-chain.js';
import { createDatabase, type Database } from './connection.js';
import { migrateAll } from './migrator.js';
import { preparedStatement } from './prepared-statements.js';
import type { AuditDatabase } from './tables/audit.tables.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from './testing/test-database.js';

// Named statements exist on a server's connections only; PGlite runs every text as it comes.
describe.skipIf(!SERVER_URL)('prepared statements on a server connection', () => {
  let database: TestDatabase;
  let owner: Database<AuditDatabase>;
  let single: Database<AuditDatabase>;

  beforeAll(async () => {
    database = await freshDatabase();
    owner = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'prepared-test-owner' });
    await migrateAll(owner.db);
    if (database.kind !== 'server') throw new Error('a server database was expected');
    // One connection, so what it prepared can be read back on it.
    single = createDatabase<AuditDatabase>({
      target: { kind: 'server', url: database.url, poolSize: 1 },
      applicationName: 'prepared-test',
    });
  });

  afterAll(async () => {
    await single?.close();
    await owner?.close();
    await database?.drop();
  });

  const prepared = async () =>
    (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(single.db))
      .rows;

  test('a registered text is prepared once on the connection and answers as before; others are not prepared', async () => {
    const text = preparedStatement('select $1::int + 1 as n');
    const other = 'select $1::int + 2 as n';
    expect(await prepared()).toEqual([]);
    for (const value of [1, 41]) {
      expect((await single.db.executeQuery(CompiledQuery.raw(text, [value]))).rows).toEqual([{ n: value + 1 }]);
      expect((await single.db.executeQuery(CompiledQuery.raw(other, [value]))).rows).toEqual([{ n: value + 2 }]);
    }
    const after = await prepared();
    expect(after).toHaveLength(1);
    expect(after[0]?.name).toMatch(/^chartbridge_\d+$/);
    expect(after[0]?.statement).toBe(text);
  });

  test("the audit append of a chain's own appender is prepared, and the chain it writes verifies as linked", async () => {
    const record = { action: 'graphql.request', requestId: randomUUID(), actorId: 'user-1', role: 'analyst', outcome: 'success' as const };
    // The first append reads the head under the lock; the next ones append after it in one prepared statement.
    for (let i = 0; i < 4; i++) await appendAudit(single.db, 'gateway', [record]);
    await appendAudit(single.db, 'gateway', [record, record]);
    const statements = (await prepared()).filter((p) => p.statement.startsWith('insert into audit.event'));
    // One text per row count: one row and two rows.
    expect(statements).toHaveLength(2);
    const rows = await owner.db
      .selectFrom('audit.event')
      .select(['seq', 'prev_hash', 'hash'])
      .where('chain', '=', 'gateway')
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6]);
    rows.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? null : rows[i - 1]?.hash));
  });
});

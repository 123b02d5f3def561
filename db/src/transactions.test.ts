import { sql, type Kysely, type Transaction } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from './connection.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from './testing/test-database.js';
import { inTransaction, isRetryableTransactionError, onTransactionRetry, type TransactionRetry } from './transactions.js';

interface Db {
  zz_counter: { id: number; n: number };
}

describe('isRetryableTransactionError', () => {
  test.each([
    [{ code: '40P01' }, true],
    [{ code: '40001' }, true],
    [{ code: '23505' }, false],
    [new Error('40P01'), false],
    [null, false],
    ['40P01', false],
  ])('%j: %s', (error, expected) => {
    expect(isRetryableTransactionError(error)).toBe(expected);
  });
});

describe('inTransaction', () => {
  let database: TestDatabase;
  let owner: Database<Db>;

  beforeAll(async () => {
    database = await freshDatabase();
    owner = createDatabase<Db>({ target: database.target, applicationName: 'transactions-test' });
    await sql`create table zz_counter (id int primary key, n int not null)`.execute(owner.db);
  });

  afterAll(async () => {
    await owner?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await sql`delete from zz_counter`.execute(owner.db);
    await owner.db
      .insertInto('zz_counter')
      .values([
        { id: 1, n: 0 },
        { id: 2, n: 0 },
      ])
      .execute();
  });

  const bump = (trx: Transaction<Db>, id: number) =>
    trx
      .updateTable('zz_counter')
      .set((eb) => ({ n: eb('n', '+', 1) }))
      .where('id', '=', id)
      .execute();
  const counts = async () => (await owner.db.selectFrom('zz_counter').select(['id', 'n']).orderBy('id').execute()).map((r) => r.n);

  test('commits what the work wrote and returns its value; other errors are thrown at once and roll back', async () => {
    expect(await inTransaction(owner.db, async (trx) => (await bump(trx, 1), 'done'))).toBe('done');
    let runs = 0;
    const failing = inTransaction(owner.db, async (trx) => {
      runs += 1;
      await bump(trx, 2);
      throw Object.assign(new Error('duplicate key'), { code: '23505' });
    });
    await expect(failing).rejects.toThrow('duplicate key');
    expect(runs).toBe(1);
    expect(await counts()).toEqual([1, 0]);
  });

  test('runs the work again when the database cancels it as retryable, up to the attempts given', async () => {
    let runs = 0;
    const retried: number[] = [];
    const stop = onTransactionRetry([owner.db], ({ failedAttempt }) => retried.push(failedAttempt));
    const result = await inTransaction(owner.db, async (trx) => {
      runs += 1;
      await bump(trx, 1);
      if (runs < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return runs;
    }).finally(stop);
    expect(result).toBe(3);
    expect(retried).toEqual([1, 2]);
    // The two cancelled runs wrote nothing.
    expect(await counts()).toEqual([1, 0]);
    let always = 0;
    const never = inTransaction(
      owner.db,
      async () => {
        always += 1;
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      },
      { attempts: 2 },
    );
    await expect(never).rejects.toMatchObject({ code: '40001' });
    expect(always).toBe(2);
  });

  // Two transactions each lock one row, then want the other's: PostgreSQL cancels one after its
  // deadlock_timeout (1 s by default). PGlite has one session, so no deadlock can happen there.
  describe.skipIf(!SERVER_URL)('a real deadlock on a server', () => {
    /** Runs two crossing transactions through `run`; each bumps its first row, waits for the other, then bumps its second. */
    async function crossing(run: (db: Kysely<Db>, work: (trx: Transaction<Db>) => Promise<string>) => Promise<string>) {
      let runs = 0;
      const locked: Array<() => void> = [];
      const bothLocked = Promise.all([0, 1].map((i) => new Promise<void>((resolve) => (locked[i] = resolve))));
      const work = (first: number, second: number, i: number) => async (trx: Transaction<Db>) => {
        runs += 1;
        await bump(trx, first);
        locked[i]?.();
        await bothLocked;
        await bump(trx, second);
        return `${first}-${second}`;
      };
      const results = await Promise.allSettled([run(owner.db, work(1, 2, 0)), run(owner.db, work(2, 1, 1))]);
      return { results, runs };
    }

    test('without retries one of the two fails with deadlock_detected', async () => {
      const { results } = await crossing((db, work) => db.transaction().execute(work));
      const failed = results.filter((r) => r.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(isRetryableTransactionError((failed[0] as PromiseRejectedResult).reason)).toBe(true);
      expect(await counts()).toEqual([1, 1]);
    }, 20_000);

    test('with inTransaction both commit: the cancelled one runs again, and listeners of its pool are told', async () => {
      const told: TransactionRetry[] = [];
      const elsewhere: TransactionRetry[] = [];
      const stop = onTransactionRetry([owner.db], (retry) => told.push(retry));
      const stopElsewhere = onTransactionRetry([{}], (retry) => elsewhere.push(retry));
      const { results, runs } = await crossing((db, work) => inTransaction(db, work)).finally(() => {
        stop();
        stopElsewhere();
      });
      expect(told).toEqual([{ db: owner.db, failedAttempt: 1, code: '40P01' }]);
      expect(elsewhere).toEqual([]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(results.map((r) => (r as PromiseFulfilledResult<string>).value)).toEqual(['1-2', '2-1']);
      expect(runs).toBe(3);
      expect(await counts()).toEqual([2, 2]);
    }, 20_000);
  });
});

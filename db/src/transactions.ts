import { channel } from 'node:diagnostics_channel';
import type { Kysely, Transaction } from 'kysely';

/** PostgreSQL's codes for a transaction it cancelled whole, which the same work can simply run again. */
const RETRYABLE = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
]);

/** True when `error` is PostgreSQL cancelling the transaction for a deadlock or a serialization failure. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** A transaction PostgreSQL cancelled and {@link inTransaction} runs again; no data of the work is in it. */
export interface TransactionRetry {
  /** The Kysely instance the transaction ran on (a service's pool), so a listener can tell whose it was. */
  readonly db: object;
  /** Which run was cancelled (1-based). */
  readonly failedAttempt: number;
  /** PostgreSQL's code: 40P01 (deadlock) or 40001 (serialization failure). */
  readonly code: string;
}

const retries = channel('chartbridge.transaction.retry');

/**
 * Calls `listener` for each rerun of a transaction on one of `dbs` (by any caller of
 * {@link inTransaction}); returns the function that stops it. The services log them.
 */
export function onTransactionRetry(dbs: ReadonlyArray<object>, listener: (retry: TransactionRetry) => void): () => void {
  const watched = new Set<object>(dbs);
  const subscriber = (message: unknown) => {
    const retry = message as TransactionRetry;
    if (watched.has(retry.db)) listener(retry);
  };
  retries.subscribe(subscriber);
  return () => {
    retries.unsubscribe(subscriber);
  };
}

export interface TransactionRetryOptions {
  /** Runs of `work` at most, the first included (default 4). Listeners of {@link onTransactionRetry} are told of each rerun. */
  readonly attempts?: number;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in a transaction and, when PostgreSQL cancels it for a deadlock or a serialization
 * failure, runs it again in a new one (up to `attempts` runs, after a short random pause that grows).
 * A cancelled transaction wrote nothing, so a rerun is safe as long as `work` keeps its effects inside
 * the transaction: no calls out, no state outside it changed. Other errors, and the last retryable one,
 * are thrown as they came.
 *
 * Why: the report tables' triggers update shared rollup rows in every writer's transaction (see
 * docs/decisions/0004-report-derived-tables.md); two postings can lock the same rows in opposite
 * orders across statements, and PostgreSQL then cancels one of them.
 */
export async function inTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= attempts || !isRetryableTransactionError(error)) throw error;
      if (retries.hasSubscribers)
        retries.publish({ db, failedAttempt: attempt, code: (error as { code: string }).code } satisfies TransactionRetry);
      // 5-25 ms, then 10-50, 20-100: the other transaction usually commits within it.
      await pause(5 * 2 ** (attempt - 1) * (1 + 4 * Math.random()));
    }
  }
}

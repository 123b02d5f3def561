import type { LogEvent } from 'kysely';

/**
 * Counts the SQL statements one Kysely instance sent to the server, successful or failed.
 *
 * Tests use it to pin batching ("50 patients cost as many statements as 5"). It counts what Kysely
 * executes, which is every statement the application issues: no code path bypasses Kysely.
 */
export class StatementCounter {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** The Kysely `log` hook; never throws and never records SQL text or parameters (they may hold PHI). */
  readonly observe = (event: LogEvent): void => {
    if (event.level === 'query' || event.level === 'error') this.#count += 1;
  };

  /** Runs `work` and returns its result with the number of statements issued while it ran. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.#count;
    const result = await work();
    return { result, statements: this.#count - before };
  }
}

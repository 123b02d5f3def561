import type { PGlite, QueryOptions } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect over an embedded PGlite instance that several Kysely instances may share.
 *
 * PGlite is one PostgreSQL backend with one session. When the PMS and the EHR subgraphs run in one
 * process they each have their own Kysely instance over the same PGlite, so the exclusive lock that
 * keeps a transaction's statements together must belong to the PGlite instance, not to a driver:
 * otherwise one subgraph's statements could land inside the other's open transaction.
 *
 * Destroying a Kysely instance does not close PGlite; whoever opened it closes it.
 */
export class SharedPGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  readonly #onNotice: ((message: string) => void) | undefined;

  /** `onNotice` hears the notices of this dialect's own statements (not those of other instances over the same PGlite). */
  constructor(pglite: PGlite, onNotice?: (message: string) => void) {
    this.#pglite = pglite;
    this.#onNotice = onNotice;
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new SharedPGliteDriver(this.#pglite, this.#onNotice);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** One FIFO lock per PGlite instance, shared by every driver over it. */
class SessionLock {
  #held = false;
  readonly #waiting: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}

const locks = new WeakMap<PGlite, SessionLock>();

function lockFor(pglite: PGlite): SessionLock {
  let lock = locks.get(pglite);
  if (!lock) {
    lock = new SessionLock();
    locks.set(pglite, lock);
  }
  return lock;
}

class SharedPGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  readonly #lock: SessionLock;

  constructor(pglite: PGlite, onNotice: ((message: string) => void) | undefined) {
    this.#connection = new PGliteConnection(pglite, onNotice);
    this.#lock = lockFor(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.acquire();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  readonly #options: QueryOptions | undefined;

  constructor(pglite: PGlite, onNotice: ((message: string) => void) | undefined) {
    this.#pglite = pglite;
    this.#options = onNotice ? { onNotice: (notice) => onNotice(notice.message ?? '') } : undefined;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters], this.#options);
    return result.affectedRows === undefined ? { rows: result.rows } : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on embedded PGlite');
  }
}

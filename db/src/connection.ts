import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { SharedPGliteDialect } from './pglite-dialect.js';
import { preparingPool } from './prepared-statements.js';
import { StatementCounter } from './statement-counter.js';
import { textParsers } from './type-parsers.js';

/** Where a Kysely instance sends its SQL: a PostgreSQL server by URL, or an embedded PGlite. */
export type DatabaseTarget =
  { readonly kind: 'server'; readonly url: string; readonly poolSize?: number } | { readonly kind: 'embedded'; readonly pglite: PGlite };

export interface DatabaseOptions {
  readonly target: DatabaseTarget;
  /**
   * The PostgreSQL role every pooled connection assumes at start-up, so the grants of that role, not
   * the login's, decide what the code may touch. Ignored on embedded PGlite,
   * which has a single session shared by both subgraphs.
   */
  readonly role?: string;
  /** Server settings every pooled connection starts with (`-c name=value`); ignored on PGlite. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Name for the pool's `application_name`, seen in `pg_stat_activity`. */
  readonly applicationName: string;
  /**
   * Hears the server's notices (a long migration's progress, see migrations/progress.ts): on every
   * pooled connection of a server, or on this instance's own statements on PGlite.
   */
  readonly onNotice?: (message: string) => void;
  /**
   * Hears that the server ended one of the pool's idle connections (a restart, a failover,
   * `pg_terminate_backend`, a proxy's idle limit), with the server's error code when it sent one and
   * the pool's `applicationName`. The pool drops that connection and opens another for the next statement.
   */
  readonly onConnectionLost?: (code: string | null, applicationName: string) => void;
}

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly statements: StatementCounter;
  /** Closes the pool. The embedded PGlite stays open: its opener closes it. */
  close(): Promise<void>;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;
const SETTING = /^[a-z_][a-z0-9_.]*$/;
const SETTING_VALUE = /^[A-Za-z0-9_.:-]+$/;

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      const parser = format !== 'binary' ? textParsers[oid] : undefined;
      return parser ?? pg.types.getTypeParser(oid, format ?? 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/**
 * Creates a Kysely instance over `pg` when a URL is given, over embedded PGlite otherwise.
 * Both paths parse values the same way (see type-parsers.ts) and count their statements.
 */
export function createDatabase<DB>(options: DatabaseOptions): Database<DB> {
  const statements = new StatementCounter();
  let dialect: Dialect;
  if (options.target.kind === 'server') {
    const role = options.role;
    if (role !== undefined && !ROLE_NAME.test(role)) throw new Error(`Invalid database role name: ${role}`);
    const settings = Object.entries(options.settings ?? {});
    for (const [name, value] of settings) {
      if (!SETTING.test(name) || !SETTING_VALUE.test(value)) throw new Error(`Invalid database setting: ${name}`);
    }
    const startup = [...(role !== undefined ? [`-c role=${role}`] : []), ...settings.map(([name, value]) => `-c ${name}=${value}`)];
    const pool = new pg.Pool({
      connectionString: options.target.url,
      max: options.target.poolSize ?? 10,
      application_name: options.applicationName,
      types: pgTypes(),
      // Set at connection start-up, the role cannot be skipped: a missing role fails the connection
      // instead of silently leaving the login's wider rights in place.
      ...(startup.length > 0 ? { options: startup.join(' ') } : {}),
    });
    const onNotice = options.onNotice;
    if (onNotice) pool.on('connect', (client) => client.on('notice', (notice) => onNotice(notice.message ?? '')));
    // A connection the server ends is an 'error' event on its client, and on the pool while the client
    // is idle there: unheard, either would end the process. An idle one is reported and dropped by the
    // pool; one in use (between a transaction's statements) fails its next statement, and the pool
    // drops it when it comes back.
    pool.on('error', (error) => options.onConnectionLost?.(errorCodeOf(error), options.applicationName));
    pool.on('connect', (client) => client.on('error', () => {}));
    dialect = new PostgresDialect({ pool: preparingPool(pool) });
  } else {
    dialect = new SharedPGliteDialect(options.target.pglite, options.onNotice);
  }
  const db = new Kysely<DB>({ dialect, log: statements.observe });
  return {
    db,
    statements,
    async close() {
      await db.destroy();
    },
  };
}

/** The server's SQLSTATE on a pg error, if it sent one. */
function errorCodeOf(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
  return typeof code === 'string' ? code : null;
}

import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadDbCommandConfig } from '../config.js';
import type { DatabaseTarget } from '../connection.js';
import { openEmbeddedPostgres } from '../embedded-postgres.js';

/** Set by CI and developers to run the tests on a real PostgreSQL server; PGlite otherwise. */
export const SERVER_URL = loadDbCommandConfig().databaseUrl;

export type TestDatabase =
  | { readonly kind: 'server'; readonly url: string; readonly target: DatabaseTarget; drop(): Promise<void> }
  | { readonly kind: 'embedded'; readonly pglite: PGlite; readonly target: DatabaseTarget; drop(): Promise<void> };

/**
 * A new, empty database for one test file: a freshly created database on the server named by
 * DATABASE_URL (dropped afterwards), or an in-memory PGlite when no URL is set. Exported as
 * `@chartbridge/db/testing` for every package's tests.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!SERVER_URL) {
    const pglite = await openEmbeddedPostgres();
    return { kind: 'embedded', pglite, target: { kind: 'embedded', pglite }, drop: () => pglite.close() };
  }
  const name = `chartbridge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'server',
    url: url.toString(),
    target: { kind: 'server', url: url.toString(), poolSize: 25 },
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        // A closed pool's connections may still be saying goodbye; terminating one then surfaces as
        // an unhandled error in the test run. Give them a moment to leave before forcing the rest.
        for (let attempt = 0; attempt < 50; attempt += 1) {
          const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

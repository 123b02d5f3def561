import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { openEmbeddedPostgres } from '@chartbridge/db';
import pg from 'pg';

/** Set in CI and by developers to run the suite on a real PostgreSQL server; PGlite otherwise. */
export const SERVER_URL = process.env['DATABASE_URL'];

export type TestDatabase =
  | { readonly kind: 'server'; readonly url: string; drop(): Promise<void> }
  | { readonly kind: 'embedded'; readonly pglite: PGlite; drop(): Promise<void> };

/**
 * A new, empty database for one test file: a freshly created database on the server named by
 * DATABASE_URL (dropped afterwards), or an in-memory PGlite when no URL is set.
 */
export async function freshDatabase(): Promise<TestDatabase> {
  if (!SERVER_URL) {
    const pglite = await openEmbeddedPostgres();
    return { kind: 'embedded', pglite, drop: () => pglite.close() };
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
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

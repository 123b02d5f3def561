import { loadDbCommandConfig } from './config.js';
import { createDatabase, type Database, type DatabaseTarget } from './connection.js';
import { openEmbeddedPostgres } from './embedded-postgres.js';

/**
 * The database a command-line tool works on, as the owner: the server at DATABASE_URL, or the
 * embedded PostgreSQL that `pnpm start` keeps in CHARTBRIDGE_DATA_DIR. `close()` closes both.
 */
export async function openCommandDatabase<DB>(applicationName: string): Promise<Database<DB> & { readonly where: string }> {
  const config = loadDbCommandConfig();
  const pglite = config.databaseUrl ? undefined : await openEmbeddedPostgres({ dataDir: config.dataDir });
  const target: DatabaseTarget = pglite ? { kind: 'embedded', pglite } : { kind: 'server', url: config.databaseUrl ?? '' };
  const database = createDatabase<DB>({ target, applicationName });
  return {
    ...database,
    where: pglite ? config.dataDir : 'PostgreSQL (DATABASE_URL)',
    async close() {
      await database.close();
      await pglite?.close();
    },
  };
}

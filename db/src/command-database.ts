import { loadDbCommandConfig } from './config.js';
import { createDatabase, type Database, type DatabaseTarget } from './connection.js';
import { openEmbeddedPostgres } from './embedded-postgres.js';
import { migrationProgressOf } from './migrations/progress.js';
import { ProgressBar } from './seed/progress-bar.js';

/**
 * An `onNotice` for a command's connection: a progress bar on `out` for each step of a long
 * migration (the reports backfill of a database that already has claims), labelled
 * `migrating: <step>`; every other notice is ignored.
 */
export function migrationProgressBars(out: NodeJS.WriteStream = process.stderr): (notice: string) => void {
  const bars = new Map<string, ProgressBar>();
  return (notice) => {
    const progress = migrationProgressOf(notice);
    if (!progress) return;
    let bar = bars.get(progress.step);
    if (!bar) {
      bar = new ProgressBar(`migrating: ${progress.step}`, progress.total, out);
      bars.set(progress.step, bar);
    }
    bar.update(progress.done);
  };
}

/**
 * The database a command-line tool works on, as the owner: the server at DATABASE_URL, or the
 * embedded PostgreSQL that `pnpm start` keeps in CHARTBRIDGE_DATA_DIR. `close()` closes both.
 * A long migration the command runs on it shows its progress on stderr ({@link migrationProgressBars}).
 */
export async function openCommandDatabase<DB>(applicationName: string): Promise<Database<DB> & { readonly where: string }> {
  const config = loadDbCommandConfig();
  const pglite = config.databaseUrl ? undefined : await openEmbeddedPostgres({ dataDir: config.dataDir });
  const target: DatabaseTarget = pglite ? { kind: 'embedded', pglite } : { kind: 'server', url: config.databaseUrl ?? '' };
  const database = createDatabase<DB>({ target, applicationName, onNotice: migrationProgressBars() });
  return {
    ...database,
    where: pglite ? config.dataDir : 'PostgreSQL (DATABASE_URL)',
    async close() {
      await database.close();
      await pglite?.close();
    },
  };
}

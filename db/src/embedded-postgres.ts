import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { textParsers } from './type-parsers.js';

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the data between runs; omitted means in memory (tests). */
  readonly dataDir?: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  override readonly name = 'EmbeddedDatabaseBusyError';
}

const LOCK_FILE = 'chartbridge.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data folder for this process. PGlite is one PostgreSQL backend over plain files: a
 * second process opening the same folder (`pnpm seed` while `pnpm start` runs) would corrupt it.
 * A lock left by a process that is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new EmbeddedDatabaseBusyError(
          `The embedded database in ${dataDir} is in use by process ${holder} (pnpm start?). Stop it first, or use DATABASE_URL.`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new EmbeddedDatabaseBusyError(`Could not lock the embedded database in ${dataDir}`);
}

/**
 * Opens embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly) for a machine with no
 * database server. Starting it takes a few seconds and a few hundred MB, so a process opens one and
 * shares it between the subgraphs. A data folder is locked to this process until `close()`;
 * throws {@link EmbeddedDatabaseBusyError} when another live process holds it.
 */
export async function openEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PGlite> {
  let unlock: (() => Promise<void>) | undefined;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    unlock = await lockDataDir(options.dataDir);
  }
  try {
    const pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      parsers: textParsers,
      // The scheduling migration's exclusion constraints (no double booking) need btree_gist.
      extensions: { btree_gist },
    });
    await pglite.waitReady;
    if (unlock) {
      const close = pglite.close.bind(pglite);
      const release = unlock;
      pglite.close = async () => {
        await close();
        await release();
      };
    }
    return pglite;
  } catch (error) {
    await unlock?.();
    throw error;
  }
}

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { textParsers } from './type-parsers.js';

export interface EmbeddedPostgresOptions {
  /** Folder that keeps the data between runs; omitted means in memory (tests). */
  readonly dataDir?: string;
}

/**
 * Opens embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly) for a machine with no
 * database server. Starting it takes a few seconds and a few hundred MB, so a process opens one and
 * shares it between the subgraphs.
 */
export async function openEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<PGlite> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    parsers: textParsers,
  });
  await pglite.waitReady;
  return pglite;
}

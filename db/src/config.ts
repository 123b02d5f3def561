import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where `pnpm start` and `pnpm seed` keep embedded PostgreSQL's files when no URL is given. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/pglite', import.meta.url));

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  CHARTBRIDGE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
});

export interface DbCommandConfig {
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
}

/** Reads the database settings of the db package's own commands (seed, audit:verify); exits with every problem listed. */
export function loadDbCommandConfig(env: NodeJS.ProcessEnv = process.env): DbCommandConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`config: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  return Object.freeze({ databaseUrl: parsed.data.DATABASE_URL, dataDir: parsed.data.CHARTBRIDGE_DATA_DIR });
}

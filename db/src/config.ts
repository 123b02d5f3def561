import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { FieldKeyError, parseFieldKeys, type FieldKey } from './crypto/field-encryption.js';

/** Where `pnpm start` and `pnpm seed` keep embedded PostgreSQL's files when no URL is given. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data/pglite', import.meta.url));

/** Where the development keyring for PHI fields lives when no keys are configured (never in production). */
export const DEFAULT_PHI_DEV_KEY_FILE = fileURLToPath(new URL('../../.data/dev-keys/phi-keys.json', import.meta.url));

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

/** Where the keys that seal PHI fields (patients' SSNs) come from; `openFieldKeyring` opens either. */
export type PhiKeyConfig =
  | { readonly kind: 'configured'; readonly keys: readonly FieldKey[]; readonly activeKid: string }
  | { readonly kind: 'development'; readonly devKeyFile: string };

const phiKeySchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PHI_ENCRYPTION_KEYS: z.string().optional(),
  PHI_ENCRYPTION_ACTIVE_KEY: z.string().optional(),
  PHI_DEV_KEY_FILE: z.string().min(1).default(DEFAULT_PHI_DEV_KEY_FILE),
});

/**
 * Reads the PHI field keys without exiting: `PHI_ENCRYPTION_KEYS` (comma-separated `kid:base64key`,
 * 32-byte keys; old keys stay listed so what they sealed still opens) with `PHI_ENCRYPTION_ACTIVE_KEY`
 * (the kid new values are sealed under). With neither set and NODE_ENV not `production`, the
 * development keyring in `PHI_DEV_KEY_FILE` (`.data/dev-keys/phi-keys.json`); in production that is a
 * configuration error. Problems are `VARIABLE: message`, never a value: they hold secrets.
 */
export function parsePhiKeyConfig(
  env: NodeJS.ProcessEnv,
): { readonly ok: true; readonly config: PhiKeyConfig } | { readonly ok: false; readonly problems: string[] } {
  const parsed = phiKeySchema.safeParse(env);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const c = parsed.data;
  // An empty variable (`PHI_ENCRYPTION_KEYS=` in a compose file) counts as unset.
  const keysText = c.PHI_ENCRYPTION_KEYS?.trim() || undefined;
  const activeKid = c.PHI_ENCRYPTION_ACTIVE_KEY?.trim() || undefined;
  if (keysText === undefined && activeKid === undefined) {
    // The development keyring sits in a file next to the data: fine on a laptop, never for real PHI.
    if (c.NODE_ENV === 'production') {
      return {
        ok: false,
        problems: ['PHI_ENCRYPTION_KEYS: PHI_ENCRYPTION_KEYS and PHI_ENCRYPTION_ACTIVE_KEY are required when NODE_ENV=production'],
      };
    }
    return { ok: true, config: Object.freeze({ kind: 'development', devKeyFile: c.PHI_DEV_KEY_FILE }) };
  }
  const problems: string[] = [];
  let keys: FieldKey[] = [];
  if (keysText === undefined) {
    problems.push('PHI_ENCRYPTION_KEYS: is required when PHI_ENCRYPTION_ACTIVE_KEY is set');
  } else {
    try {
      keys = parseFieldKeys(keysText);
    } catch (error) {
      if (!(error instanceof FieldKeyError)) throw error;
      problems.push(`PHI_ENCRYPTION_KEYS: ${error.message}`);
    }
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) problems.push('PHI_ENCRYPTION_KEYS: a key id is listed twice');
  }
  if (activeKid === undefined)
    problems.push('PHI_ENCRYPTION_ACTIVE_KEY: is required with PHI_ENCRYPTION_KEYS (the id of the key new values are sealed under)');
  else if (keys.length > 0 && !keys.some((k) => k.kid === activeKid))
    problems.push('PHI_ENCRYPTION_ACTIVE_KEY: names none of the keys in PHI_ENCRYPTION_KEYS');
  if (problems.length > 0 || activeKid === undefined) return { ok: false, problems };
  return { ok: true, config: Object.freeze({ kind: 'configured', keys, activeKid }) };
}

/** {@link parsePhiKeyConfig} for a process: prints every problem as `<service> config: ...` and exits 1. */
export function loadPhiKeyConfig(service: string, env: NodeJS.ProcessEnv = process.env): PhiKeyConfig {
  const result = parsePhiKeyConfig(env);
  if (!result.ok) {
    for (const problem of result.problems) console.error(`${service} config: ${problem}`);
    process.exit(1);
  }
  return result.config;
}

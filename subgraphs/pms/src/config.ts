import { fileURLToPath } from 'node:url';
import { DEFAULT_DATA_DIR, loadPhiKeyConfig, type PhiKeyConfig } from '@chartbridge/db';
import { loadSubgraphConfig, type SubgraphConfig } from '@chartbridge/kit';
import { z } from 'zod';
import { PseudonymKeyError, parsePseudonymKey, type PseudonymKeyConfig } from './reports/pseudonym.js';

export interface PmsConfig extends SubgraphConfig {
  /** PHI_ENCRYPTION_KEYS and PHI_ENCRYPTION_ACTIVE_KEY (required in production), or the development keyring. */
  readonly phiKeys: PhiKeyConfig;
  /** PRACTICE_TIME_ZONE (IANA name, default America/New_York): the clock of schedules and dates of service. */
  readonly practiceTimeZone: string;
  /** Where the revenue-cycle reports read, and the key of their patients' pseudonyms. */
  readonly reports: ReportsConfig;
}

export const DEFAULT_PRACTICE_TIME_ZONE = 'America/New_York';

/** Whether the runtime knows `zone` as an IANA time zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** PRACTICE_TIME_ZONE, checked to be an IANA time zone the runtime knows. */
export function loadPracticeTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env['PRACTICE_TIME_ZONE']?.trim() || DEFAULT_PRACTICE_TIME_ZONE;
  if (!isKnownTimeZone(zone)) throw new Error(`PRACTICE_TIME_ZONE ${JSON.stringify(zone)} is not a known IANA time zone`);
  return zone;
}

/** Where the development key of reports' patient pseudonyms lives when none is configured (never in production). */
export const DEFAULT_PSEUDONYM_DEV_KEY_FILE = fileURLToPath(new URL('../../../.data/dev-keys/reports-pseudonym.key', import.meta.url));

export interface ReportsConfig {
  /** REPORTS_DATABASE_URL: a read replica for the reports; the subgraph's own database when unset. */
  readonly databaseUrl: string | undefined;
  /** REPORTS_PSEUDONYM_KEY (required in production), or the development key file. */
  readonly pseudonymKey: PseudonymKeyConfig;
  /**
   * REPORTS_STATEMENT_TIMEOUT_MS (default 15,000; 1,000 to 3,600,000): the server cancels a report's
   * statement that runs longer, so a report nobody waits for any more (the gateway gives up after
   * SUBGRAPH_TIMEOUT_MS, 10 s by default) does not run on to its end.
   */
  readonly statementTimeoutMs: number;
}

export const DEFAULT_REPORTS_STATEMENT_TIMEOUT_MS = 15_000;

const reportsSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  REPORTS_DATABASE_URL: z.string().url().optional(),
  REPORTS_PSEUDONYM_KEY: z.string().optional(),
  REPORTS_PSEUDONYM_DEV_KEY_FILE: z.string().min(1).default(DEFAULT_PSEUDONYM_DEV_KEY_FILE),
  REPORTS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(DEFAULT_REPORTS_STATEMENT_TIMEOUT_MS),
});

/**
 * Reads the reports' settings without exiting: REPORTS_DATABASE_URL (optional),
 * REPORTS_PSEUDONYM_KEY (base64, at least 32 bytes: the HMAC key of patients' pseudonymous keys) and
 * REPORTS_STATEMENT_TIMEOUT_MS.
 * Without a key and outside production, the development key in REPORTS_PSEUDONYM_DEV_KEY_FILE
 * (`.data/dev-keys/reports-pseudonym.key`); in production that is a configuration error, since
 * pseudonyms made with a key kept next to the data protect nothing. Problems name variables, never values.
 */
export function parseReportsConfig(
  env: NodeJS.ProcessEnv,
): { readonly ok: true; readonly config: ReportsConfig } | { readonly ok: false; readonly problems: string[] } {
  // An empty variable (`REPORTS_DATABASE_URL=` in a compose file) counts as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([name, value]) => !name.startsWith('REPORTS_') || value?.trim()));
  const parsed = reportsSchema.safeParse(present);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const c = parsed.data;
  let pseudonymKey: PseudonymKeyConfig;
  if (c.REPORTS_PSEUDONYM_KEY === undefined) {
    if (c.NODE_ENV === 'production') return { ok: false, problems: ['REPORTS_PSEUDONYM_KEY: is required when NODE_ENV=production'] };
    pseudonymKey = Object.freeze({ kind: 'development', devKeyFile: c.REPORTS_PSEUDONYM_DEV_KEY_FILE });
  } else {
    try {
      pseudonymKey = Object.freeze({ kind: 'configured', key: parsePseudonymKey(c.REPORTS_PSEUDONYM_KEY) });
    } catch (error) {
      if (!(error instanceof PseudonymKeyError)) throw error;
      return { ok: false, problems: [`REPORTS_PSEUDONYM_KEY: ${error.message}`] };
    }
  }
  return {
    ok: true,
    config: Object.freeze({ databaseUrl: c.REPORTS_DATABASE_URL, pseudonymKey, statementTimeoutMs: c.REPORTS_STATEMENT_TIMEOUT_MS }),
  };
}

/** {@link parseReportsConfig} for a process: prints every problem as `<service> config: ...` and exits 1. */
export function loadReportsConfig(service: string, env: NodeJS.ProcessEnv = process.env): ReportsConfig {
  const result = parseReportsConfig(env);
  if (!result.ok) {
    for (const problem of result.problems) console.error(`${service} config: ${problem}`);
    process.exit(1);
  }
  return result.config;
}

export interface ReportCommandConfig extends ReportsConfig {
  /** DATABASE_URL: where reports read when REPORTS_DATABASE_URL is not set. */
  readonly primaryDatabaseUrl: string | undefined;
  /** CHARTBRIDGE_DATA_DIR: the embedded database `pnpm start` keeps, when no URL is set. */
  readonly dataDir: string;
  readonly practiceTimeZone: string;
}

/**
 * `pnpm report`: REPORTS_DATABASE_URL, else DATABASE_URL, else the embedded database in
 * CHARTBRIDGE_DATA_DIR; REPORTS_PSEUDONYM_KEY (claims' patient keys) and PRACTICE_TIME_ZONE as the
 * PMS reads them. Prints every problem and exits 1.
 */
export function loadReportCommandConfig(env: NodeJS.ProcessEnv = process.env): ReportCommandConfig {
  const parsed = z
    .object({ DATABASE_URL: z.string().url().optional(), CHARTBRIDGE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR) })
    .safeParse(env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`report config: ${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  let practiceTimeZone: string;
  try {
    practiceTimeZone = loadPracticeTimeZone(env);
  } catch (error) {
    console.error(`report config: ${(error as Error).message}`);
    process.exit(1);
  }
  return Object.freeze({
    ...loadReportsConfig('report', env),
    primaryDatabaseUrl: parsed.data.DATABASE_URL,
    dataDir: parsed.data.CHARTBRIDGE_DATA_DIR,
    practiceTimeZone,
  });
}

/** The PMS process's settings (PMS_PORT 4001, PMS_DATABASE_URL or DATABASE_URL, PHI_ENCRYPTION_*, PRACTICE_TIME_ZONE, REPORTS_*, ...), read once. */
export function loadPmsConfig(env: NodeJS.ProcessEnv = process.env): PmsConfig {
  return Object.freeze({
    ...loadSubgraphConfig('PMS', 4001, env),
    phiKeys: loadPhiKeyConfig('pms', env),
    practiceTimeZone: loadPracticeTimeZone(env),
    reports: loadReportsConfig('pms', env),
  });
}

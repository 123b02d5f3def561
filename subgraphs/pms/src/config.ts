import { loadPhiKeyConfig, type PhiKeyConfig } from '@chartbridge/db';
import { loadSubgraphConfig, type SubgraphConfig } from '@chartbridge/kit';

export interface PmsConfig extends SubgraphConfig {
  /** PHI_ENCRYPTION_KEYS and PHI_ENCRYPTION_ACTIVE_KEY (required in production), or the development keyring. */
  readonly phiKeys: PhiKeyConfig;
  /** PRACTICE_TIME_ZONE (IANA name, default America/New_York): the clock of schedules and dates of service. */
  readonly practiceTimeZone: string;
}

export const DEFAULT_PRACTICE_TIME_ZONE = 'America/New_York';

/** PRACTICE_TIME_ZONE, checked to be an IANA time zone the runtime knows. */
export function loadPracticeTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const zone = env['PRACTICE_TIME_ZONE']?.trim() || DEFAULT_PRACTICE_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`PRACTICE_TIME_ZONE ${JSON.stringify(zone)} is not a known IANA time zone`);
  }
  return zone;
}

/** The PMS process's settings (PMS_PORT 4001, PMS_DATABASE_URL or DATABASE_URL, PHI_ENCRYPTION_*, PRACTICE_TIME_ZONE, ...), read once. */
export function loadPmsConfig(env: NodeJS.ProcessEnv = process.env): PmsConfig {
  return Object.freeze({ ...loadSubgraphConfig('PMS', 4001, env), phiKeys: loadPhiKeyConfig('pms', env), practiceTimeZone: loadPracticeTimeZone(env) });
}

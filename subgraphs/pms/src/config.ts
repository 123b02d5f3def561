import { loadPhiKeyConfig, type PhiKeyConfig } from '@chartbridge/db';
import { loadSubgraphConfig, type SubgraphConfig } from '@chartbridge/kit';

export interface PmsConfig extends SubgraphConfig {
  /** PHI_ENCRYPTION_KEYS and PHI_ENCRYPTION_ACTIVE_KEY (required in production), or the development keyring. */
  readonly phiKeys: PhiKeyConfig;
}

/** The PMS process's settings (PMS_PORT 4001, PMS_DATABASE_URL or DATABASE_URL, PHI_ENCRYPTION_*, ...), read once. */
export function loadPmsConfig(env: NodeJS.ProcessEnv = process.env): PmsConfig {
  return Object.freeze({ ...loadSubgraphConfig('PMS', 4001, env), phiKeys: loadPhiKeyConfig('pms', env) });
}

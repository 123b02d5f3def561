import { loadSubgraphConfig, type SubgraphConfig } from '@chartbridge/kit';

/** The PMS process's settings (PMS_PORT 4001, PMS_DATABASE_URL or DATABASE_URL, ...), read once. */
export function loadPmsConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadSubgraphConfig('PMS', 4001, env);
}

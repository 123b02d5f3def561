import { loadSubgraphConfig, type SubgraphConfig } from '@chartbridge/kit';

/** The EHR process's settings (EHR_PORT 4002, EHR_DATABASE_URL or DATABASE_URL, ...), read once. */
export function loadEhrConfig(env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  return loadSubgraphConfig('EHR', 4002, env);
}

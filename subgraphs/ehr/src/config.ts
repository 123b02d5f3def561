import { loadSubgraphConfig, parseEnvironment, type SubgraphConfig } from '@chartbridge/kit';
import { z } from 'zod';

export interface EhrConfig extends SubgraphConfig {
  /** The PMS subgraph's GraphQL URL, for encounter lookups. */
  readonly pmsUrl: string;
}

/** The EHR process's settings (EHR_PORT 4002, EHR_DATABASE_URL or DATABASE_URL, EHR_PMS_URL, ...), read once. */
export function loadEhrConfig(env: NodeJS.ProcessEnv = process.env): EhrConfig {
  const own = parseEnvironment(z.object({ EHR_PMS_URL: z.string().url().default('http://127.0.0.1:4001/graphql') }), env, 'ehr');
  return Object.freeze({ ...loadSubgraphConfig('EHR', 4002, env), pmsUrl: own.EHR_PMS_URL });
}

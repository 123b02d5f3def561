import { loadSubgraphConfig, parseEnvironment, type SubgraphConfig } from '@chartbridge/kit';
import { z } from 'zod';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_POLL_MS } from './events/outbox-relay.js';

/** The outbox relay's settings. */
export interface OutboxRelayConfig {
  /** OUTBOX_POLL_MS (default 1000): milliseconds between polls; 0 turns the loop off. */
  readonly pollMs: number;
  /** OUTBOX_MAX_ATTEMPTS (default 8): failed deliveries before an event becomes a dead letter. */
  readonly maxAttempts: number;
}

export interface EhrConfig extends SubgraphConfig {
  /** The PMS subgraph's GraphQL URL, for encounter lookups; its event intake is `/events` beside it. */
  readonly pmsUrl: string;
  readonly outboxRelay: OutboxRelayConfig;
}

/** OUTBOX_POLL_MS and OUTBOX_MAX_ATTEMPTS, read once. */
export function loadOutboxRelayConfig(env: NodeJS.ProcessEnv = process.env): OutboxRelayConfig {
  const own = parseEnvironment(
    z.object({
      OUTBOX_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(DEFAULT_POLL_MS),
      OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULT_MAX_ATTEMPTS),
    }),
    env,
    'ehr',
  );
  return Object.freeze({ pollMs: own.OUTBOX_POLL_MS, maxAttempts: own.OUTBOX_MAX_ATTEMPTS });
}

/** The EHR process's settings (EHR_PORT 4002, EHR_DATABASE_URL or DATABASE_URL, EHR_PMS_URL, OUTBOX_*, ...), read once. */
export function loadEhrConfig(env: NodeJS.ProcessEnv = process.env): EhrConfig {
  const own = parseEnvironment(z.object({ EHR_PMS_URL: z.string().url().default('http://127.0.0.1:4001/graphql') }), env, 'ehr');
  return Object.freeze({ ...loadSubgraphConfig('EHR', 4002, env), pmsUrl: own.EHR_PMS_URL, outboxRelay: loadOutboxRelayConfig(env) });
}

import { DEFAULT_DATA_DIR } from '@chartbridge/db';
import { parseEnvironment, type LogLevel } from '@chartbridge/kit';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const logLevel = z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info');
const nodeEnv = z.enum(['development', 'production', 'test']).default('development');

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly pmsUrl: string;
  readonly ehrUrl: string;
  readonly subgraphTimeoutMs: number;
  readonly logLevel: LogLevel;
}

/** `pnpm start:gateway`: GATEWAY_PORT (4000), GATEWAY_HOST, PMS_URL, EHR_URL, SUBGRAPH_TIMEOUT_MS, LOG_LEVEL. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const c = parseEnvironment(
    z.object({
      GATEWAY_PORT: port(4000),
      GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
      PMS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
      EHR_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
      LOG_LEVEL: logLevel,
    }),
    env,
    'gateway',
  );
  return Object.freeze({
    port: c.GATEWAY_PORT,
    host: c.GATEWAY_HOST,
    pmsUrl: c.PMS_URL,
    ehrUrl: c.EHR_URL,
    subgraphTimeoutMs: c.SUBGRAPH_TIMEOUT_MS,
    logLevel: c.LOG_LEVEL,
  });
}

export interface AllInOneConfig {
  readonly ports: { readonly gateway: number; readonly pms: number; readonly ehr: number };
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly seedDemo: boolean;
  readonly production: boolean;
  readonly logLevel: LogLevel;
}

/**
 * `pnpm start`: GATEWAY_PORT, PMS_PORT, EHR_PORT (4000-4002), HOST (127.0.0.1), DATABASE_URL
 * (embedded PostgreSQL in CHARTBRIDGE_DATA_DIR when absent), SEED_DEMO (true), LOG_LEVEL, NODE_ENV.
 */
export function loadAllInOneConfig(env: NodeJS.ProcessEnv = process.env): AllInOneConfig {
  const c = parseEnvironment(
    z.object({
      GATEWAY_PORT: port(4000),
      PMS_PORT: port(4001),
      EHR_PORT: port(4002),
      HOST: z.string().min(1).default('127.0.0.1'),
      DATABASE_URL: z.string().url().optional(),
      CHARTBRIDGE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
      SEED_DEMO: z.enum(['true', 'false']).default('true'),
      NODE_ENV: nodeEnv,
      LOG_LEVEL: logLevel,
    }),
    env,
    'start',
  );
  return Object.freeze({
    ports: { gateway: c.GATEWAY_PORT, pms: c.PMS_PORT, ehr: c.EHR_PORT },
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: c.CHARTBRIDGE_DATA_DIR,
    seedDemo: c.SEED_DEMO === 'true',
    production: c.NODE_ENV === 'production',
    logLevel: c.LOG_LEVEL,
  });
}

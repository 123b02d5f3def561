import { fileURLToPath } from 'node:url';
import { DEFAULT_DATA_DIR } from '@chartbridge/db';
import { ROLES, parseEnvironment, type LogLevel } from '@chartbridge/kit';
import { z } from 'zod';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './limits.js';

/** Where the local development signing key lives when no JWKS is configured. */
export const DEFAULT_DEV_KEY_FILE = fileURLToPath(new URL('../../.data/dev-keys/jwt-es256.json', import.meta.url));

/** How callers' tokens are checked: a JWKS (production) or the local development key. */
export interface AuthConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string | undefined;
  readonly algorithms: readonly string[];
  readonly devKeyFile: string;
  readonly production: boolean;
}

const authFields = {
  AUTH_ISSUER: z.string().min(1).default('chartbridge-dev'),
  AUTH_AUDIENCE: z.string().min(1).default('chartbridge-api'),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_ALGORITHMS: z.string().default('RS256,ES256'),
  AUTH_DEV_KEY_FILE: z.string().min(1).default(DEFAULT_DEV_KEY_FILE),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
};

function authConfigOf(c: {
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_ALGORITHMS: string;
  AUTH_DEV_KEY_FILE: string;
  NODE_ENV: string;
}): AuthConfig {
  return Object.freeze({
    issuer: c.AUTH_ISSUER,
    audience: c.AUTH_AUDIENCE,
    jwksUrl: c.AUTH_JWKS_URL,
    algorithms: c.AUTH_ALGORITHMS.split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    devKeyFile: c.AUTH_DEV_KEY_FILE,
    production: c.NODE_ENV === 'production',
  });
}

// In production the development key must never be trusted: a JWKS is required.
const productionNeedsJwks = (c: { NODE_ENV: string; AUTH_JWKS_URL?: string | undefined }) =>
  c.NODE_ENV !== 'production' || c.AUTH_JWKS_URL !== undefined;
const productionNeedsJwksMessage = { message: 'AUTH_JWKS_URL is required when NODE_ENV=production' };

/** `pnpm -s token`: the same AUTH_* settings the gateway reads. */
export function loadTokenCommandConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  return authConfigOf(parseEnvironment(z.object(authFields), env, 'token'));
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const logLevel = z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info');

const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const limitFields = {
  GATEWAY_MAX_DEPTH: limit(DEFAULT_REQUEST_LIMITS.maxDepth),
  GATEWAY_MAX_ALIASES: limit(DEFAULT_REQUEST_LIMITS.maxAliases),
  GATEWAY_MAX_TOKENS: limit(DEFAULT_REQUEST_LIMITS.maxTokens),
  GATEWAY_MAX_COST: limit(DEFAULT_REQUEST_LIMITS.maxCost),
  GATEWAY_MAX_DIRECTIVES: limit(DEFAULT_REQUEST_LIMITS.maxDirectives),
  // Comma-separated; empty means nobody may introspect in production.
  INTROSPECTION_ROLES: z
    .string()
    .default(DEFAULT_REQUEST_LIMITS.introspectionRoles.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(ROLES))),
};

function limitsOf(c: z.infer<z.ZodObject<typeof limitFields>>): RequestLimits {
  return Object.freeze({
    maxDepth: c.GATEWAY_MAX_DEPTH,
    maxAliases: c.GATEWAY_MAX_ALIASES,
    maxTokens: c.GATEWAY_MAX_TOKENS,
    maxCost: c.GATEWAY_MAX_COST,
    maxDirectives: c.GATEWAY_MAX_DIRECTIVES,
    introspectionRoles: Object.freeze(c.INTROSPECTION_ROLES),
  });
}

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  readonly pmsUrl: string;
  readonly ehrUrl: string;
  readonly subgraphTimeoutMs: number;
  readonly logLevel: LogLevel;
  readonly auth: AuthConfig;
  readonly internalTokenSecret: string;
  /** Where the gateway writes its audit records (as the `chartbridge_gateway` role). */
  readonly databaseUrl: string;
  /** The owner's connection that runs migrations on start, when MIGRATE_ON_START allows. */
  readonly migrationDatabaseUrl: string | undefined;
  /** Per-request limits and who may introspect in production (see {@link RequestLimits} for each default). */
  readonly limits: RequestLimits;
}

/**
 * `pnpm start:gateway`: GATEWAY_PORT (4000), GATEWAY_HOST, PMS_URL, EHR_URL, SUBGRAPH_TIMEOUT_MS,
 * LOG_LEVEL, AUTH_* (see {@link AuthConfig}), INTERNAL_TOKEN_SECRET (shared with the subgraphs),
 * GATEWAY_DATABASE_URL or DATABASE_URL for the audit trail, MIGRATE_ON_START, and the request limits
 * GATEWAY_MAX_DEPTH (10), GATEWAY_MAX_ALIASES (15), GATEWAY_MAX_TOKENS (1000), GATEWAY_MAX_COST
 * (10000), GATEWAY_MAX_DIRECTIVES (20), INTROSPECTION_ROLES (`admin`; applies when NODE_ENV=production).
 */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const c = parseEnvironment(
    z
      .object({
        GATEWAY_PORT: port(4000),
        GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
        PMS_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
        EHR_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
        SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
        LOG_LEVEL: logLevel,
        INTERNAL_TOKEN_SECRET: z.string().min(32, 'INTERNAL_TOKEN_SECRET must be at least 32 characters (shared with the subgraphs)'),
        GATEWAY_DATABASE_URL: z.string().url().optional(),
        DATABASE_URL: z.string().url().optional(),
        MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
        ...authFields,
        ...limitFields,
      })
      .refine(productionNeedsJwks, productionNeedsJwksMessage)
      .refine((c) => c.GATEWAY_DATABASE_URL ?? c.DATABASE_URL, {
        message: 'GATEWAY_DATABASE_URL or DATABASE_URL is required: the gateway writes the audit trail',
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
    auth: authConfigOf(c),
    internalTokenSecret: c.INTERNAL_TOKEN_SECRET,
    databaseUrl: (c.GATEWAY_DATABASE_URL ?? c.DATABASE_URL) as string,
    migrationDatabaseUrl: c.MIGRATE_ON_START === 'true' ? c.DATABASE_URL : undefined,
    limits: limitsOf(c),
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
  readonly auth: AuthConfig;
  readonly limits: RequestLimits;
}

/**
 * `pnpm start`: GATEWAY_PORT, PMS_PORT, EHR_PORT (4000-4002), HOST (127.0.0.1), DATABASE_URL
 * (embedded PostgreSQL in CHARTBRIDGE_DATA_DIR when absent), SEED_DEMO (true), LOG_LEVEL, NODE_ENV,
 * AUTH_*, and the gateway's GATEWAY_MAX_* limits and INTROSPECTION_ROLES. The internal token secret is made fresh at each start: all parts live in this process.
 */
export function loadAllInOneConfig(env: NodeJS.ProcessEnv = process.env): AllInOneConfig {
  const c = parseEnvironment(
    z
      .object({
        GATEWAY_PORT: port(4000),
        PMS_PORT: port(4001),
        EHR_PORT: port(4002),
        HOST: z.string().min(1).default('127.0.0.1'),
        DATABASE_URL: z.string().url().optional(),
        CHARTBRIDGE_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
        SEED_DEMO: z.enum(['true', 'false']).default('true'),
        LOG_LEVEL: logLevel,
        ...authFields,
        ...limitFields,
      })
      .refine(productionNeedsJwks, productionNeedsJwksMessage),
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
    auth: authConfigOf(c),
    limits: limitsOf(c),
  });
}

/**
 * @apollo/gateway, unless told otherwise, sends its vendor hourly metrics about the machine (uptime,
 * CPU, memory, OS) and probes the cloud providers' metadata endpoints when it is constructed. A
 * practice's gateway makes no outbound call it was not configured for, so this turns that off unless
 * the operator set APOLLO_TELEMETRY_DISABLED (the variable the package reads) themselves.
 */
export function disableVendorTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  env['APOLLO_TELEMETRY_DISABLED'] ??= 'true';
}

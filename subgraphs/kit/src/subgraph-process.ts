import { AUDIT_SESSION_SETTINGS, createDatabase, migrateAll, type AuditDatabase, type Database } from '@chartbridge/db';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { parseEnvironment } from './config.js';
import { logConnectionLost } from './connection-lost.js';
import { logMigrationProgress } from './migration-progress.js';
import { createLogger, type LogLevel, type Logger } from './logger.js';
import { stopOnSignals } from './shutdown.js';
import type { RunningSubgraph } from './subgraph-server.js';

export interface SubgraphConfig {
  readonly port: number;
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: LogLevel;
  /** The subgraph's own connection (its role is assumed on top of this login). */
  readonly databaseUrl: string;
  /** The owner's connection that runs migrations; the subgraph's own URL when not given. */
  readonly migrationDatabaseUrl: string;
  readonly poolSize: number;
  readonly migrateOnStart: boolean;
  /** Shared with the gateway only: verifies the internal tokens it signs. */
  readonly internalTokenSecret: string;
}

const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Reads a subgraph's settings: `<PREFIX>_PORT`, `<PREFIX>_HOST`, `<PREFIX>_DATABASE_URL` (falling
 * back to `DATABASE_URL`, which is required in this production shape), `DATABASE_POOL_SIZE`,
 * `MIGRATE_ON_START`, `LOG_LEVEL`, `NODE_ENV`, and `INTERNAL_TOKEN_SECRET` (shared with the gateway). Prints every problem and exits 1 when invalid.
 */
export function loadSubgraphConfig(prefix: 'PMS' | 'EHR', defaultPort: number, env: NodeJS.ProcessEnv): SubgraphConfig {
  const schema = z
    .object({
      NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
      [`${prefix}_PORT`]: z.coerce.number().int().min(0).max(65535).default(defaultPort),
      [`${prefix}_HOST`]: z.string().min(1).default('0.0.0.0'),
      [`${prefix}_DATABASE_URL`]: z.string().url().optional(),
      DATABASE_URL: z.string().url().optional(),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
      MIGRATE_ON_START: boolean.default(true),
      LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
      INTERNAL_TOKEN_SECRET: z.string().min(32, 'INTERNAL_TOKEN_SECRET must be at least 32 characters (shared with the gateway)'),
    })
    .refine((c) => c[`${prefix}_DATABASE_URL`] ?? c['DATABASE_URL'], {
      message: `${prefix}_DATABASE_URL or DATABASE_URL is required (pnpm start runs everything on embedded PostgreSQL instead)`,
    });
  const c = parseEnvironment(schema, env, prefix.toLowerCase()) as Record<string, unknown>;
  const databaseUrl = (c[`${prefix}_DATABASE_URL`] ?? c['DATABASE_URL']) as string;
  return Object.freeze({
    port: c[`${prefix}_PORT`] as number,
    host: c[`${prefix}_HOST`] as string,
    production: c['NODE_ENV'] === 'production',
    logLevel: c['LOG_LEVEL'] as LogLevel,
    databaseUrl,
    migrationDatabaseUrl: (c['DATABASE_URL'] as string | undefined) ?? databaseUrl,
    poolSize: c['DATABASE_POOL_SIZE'] as number,
    migrateOnStart: c['MIGRATE_ON_START'] as boolean,
    internalTokenSecret: c['INTERNAL_TOKEN_SECRET'] as string,
  });
}

/** Answers when the database does; throws otherwise. */
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * Runs one subgraph as its own process (the production shape): migrations as the owner, then the
 * subgraph on its own pool under its own role, stopped gracefully on SIGTERM/SIGINT.
 */
export async function runSubgraphProcess<DB>(options: {
  readonly name: string;
  readonly role: string;
  readonly config: SubgraphConfig;
  readonly start: (
    connections: { readonly database: Database<DB>; readonly audit: Database<AuditDatabase> },
    logger: Logger,
  ) => Promise<RunningSubgraph>;
}): Promise<void> {
  const { config } = options;
  const logger = createLogger(options.name, config.logLevel);
  if (config.migrateOnStart) {
    const owner = createDatabase<unknown>({
      target: { kind: 'server', url: config.migrationDatabaseUrl, poolSize: 1 },
      applicationName: `chartbridge-${options.name}-migrate`,
      onNotice: logMigrationProgress(logger),
    });
    try {
      await migrateAll(owner.db);
    } finally {
      await owner.close();
    }
  }
  const onConnectionLost = logConnectionLost(logger);
  const database = createDatabase<DB>({
    target: { kind: 'server', url: config.databaseUrl, poolSize: config.poolSize },
    role: options.role,
    applicationName: `chartbridge-${options.name}`,
    onConnectionLost,
  });
  const audit = createDatabase<AuditDatabase>({
    target: { kind: 'server', url: config.databaseUrl, poolSize: Math.max(2, Math.ceil(config.poolSize / 2)) },
    role: options.role,
    applicationName: `chartbridge-${options.name}-audit`,
    settings: AUDIT_SESSION_SETTINGS,
    onConnectionLost,
  });
  const subgraph = await options.start({ database, audit }, logger);
  stopOnSignals(async () => {
    await subgraph.stop();
    await database.close();
    await audit.close();
  }, logger);
}

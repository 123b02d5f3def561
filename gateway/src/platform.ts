import type { PGlite } from '@electric-sql/pglite';
import {
  AUDIT_SESSION_SETTINGS,
  DATABASE_ROLES,
  createDatabase,
  isEmpty,
  migrateAll,
  seedDatabase,
  type AuditDatabase,
  type Database,
  type DatabaseTarget,
  type EhrDatabase,
  type FieldKeyring,
  type PmsDatabase,
  type SeedDatabase,
  type SeedSummary,
} from '@chartbridge/db';
import { startEhrSubgraph, type RelayPass, type RunningEhrSubgraph } from '@chartbridge/ehr';
import {
  createLogger,
  logConnectionLost,
  logMigrationProgress,
  type InternalTokenKey,
  type LogLevel,
  type LogSink,
  type RunningSubgraph,
} from '@chartbridge/kit';
import {
  reportsSessionSettings,
  loadReportsConfig,
  openPatientPseudonyms,
  seedPractice,
  startPmsSubgraph,
  type PracticeSeedSummary,
  type ReportsConfig,
  type ReportsDatabase,
} from '@chartbridge/pms';
import { readPolicyManifest, readSupergraphSdl } from '@chartbridge/schema';
import type { TokenVerifier } from './auth/token-verifier.js';
import { startGateway, type RunningGateway } from './gateway-server.js';
import type { RequestLimits } from './limits.js';

export interface PlatformOptions {
  /** A PostgreSQL server URL (its login must own the schemas), or an open embedded PGlite. */
  readonly database: { readonly url: string } | { readonly pglite: PGlite };
  /** Port 0 picks a free port (tests). */
  readonly ports: { readonly gateway: number; readonly pms: number; readonly ehr: number };
  readonly host?: string;
  /**
   * Seeds this synthetic practice when the database has no patient yet, with its revenue cycle
   * (appointments, documented visits, claims, remittances, payments) unless `revenueCycle` is false.
   */
  readonly seedIfEmpty?: { readonly patients: number; readonly seed: number; readonly revenueCycle?: boolean };
  readonly production: boolean;
  readonly logLevel: LogLevel;
  /** Where the parts' log lines go; stdout by default. */
  readonly logSink?: LogSink;
  /** The gateway's request limits and introspection roles; each unset one takes its default. */
  readonly limits?: Partial<RequestLimits>;
  readonly verifyToken: TokenVerifier;
  /** Shared by the gateway (signs) and the subgraphs (verify). */
  readonly internalKey: InternalTokenKey;
  /** Seals patients' SSNs in the first-run seed and opens them in the PMS subgraph. */
  readonly keyring: FieldKeyring;
  /** Where the revenue-cycle reports read and their pseudonym key; REPORTS_* (see the PMS's config.ts) when absent. */
  readonly reports?: ReportsConfig;
}

export interface RunningPlatform {
  readonly gatewayUrl: string;
  readonly pmsUrl: string;
  readonly ehrUrl: string;
  /** The subgraphs' own connections, with statement counters for tests. */
  readonly pmsDatabase: Database<PmsDatabase>;
  readonly ehrDatabase: Database<EhrDatabase>;
  /**
   * The gateway's audit connection. Its appends to the gateway chain take turns with the gateway's own
   * (see appendAudit), so a harness that records requests beside the gateway, as the benchmark's bare
   * path does, never races it for the chain's next row.
   */
  readonly gatewayAudit: Database<AuditDatabase>;
  /** What the first-run seed wrote, when it ran (with `revenueCycle` when it seeded that too). */
  readonly seeded: SeedSummary | PracticeSeedSummary | undefined;
  /** Stops one subgraph (tests of a service outage); `stop()` still stops the rest. */
  stopSubgraph(name: 'pms' | 'ehr'): Promise<void>;
  /** Delivers the EHR's due outbox events to the PMS now (the relay also polls on its own, every OUTBOX_POLL_MS). */
  relayOutboxOnce(): Promise<RelayPass>;
  stop(): Promise<void>;
}

/**
 * Runs the whole platform in one process: migrations (as the owner), a first-run seed, both
 * subgraphs each on its own connection and role, and the gateway in front of them over HTTP.
 * `pnpm start` and the end-to-end tests both go through here.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const target = (poolSize: number): DatabaseTarget =>
    'url' in options.database
      ? { kind: 'server', url: options.database.url, poolSize }
      : { kind: 'embedded', pglite: options.database.pglite };

  const owner = createDatabase<SeedDatabase>({
    target: target(2),
    applicationName: 'chartbridge-owner',
    onNotice: logMigrationProgress(createLogger('migrate', options.logLevel, options.logSink)),
  });
  let seeded: SeedSummary | PracticeSeedSummary | undefined;
  try {
    await migrateAll(owner.db);
    if (options.seedIfEmpty && (await isEmpty(owner.db))) {
      const { revenueCycle = true, ...practice } = options.seedIfEmpty;
      const seedOptions = { ...practice, keyring: options.keyring };
      seeded = revenueCycle ? await seedPractice(owner.db, seedOptions) : await seedDatabase(owner.db, seedOptions);
    }
  } finally {
    await owner.close();
  }

  // Pools whose connection the server ends log it and reconnect (see createDatabase).
  const onConnectionLost = logConnectionLost(createLogger('db', options.logLevel, options.logSink));
  const pmsDatabase = createDatabase<PmsDatabase>({
    target: target(10),
    role: DATABASE_ROLES.pms,
    applicationName: 'chartbridge-pms',
    onConnectionLost,
  });
  const ehrDatabase = createDatabase<EhrDatabase>({
    target: target(10),
    role: DATABASE_ROLES.ehr,
    applicationName: 'chartbridge-ehr',
    onConnectionLost,
  });
  // The audit trail writes on connections of its own, under each writer's role.
  const audits = {
    pms: createDatabase<AuditDatabase>({
      target: target(4),
      role: DATABASE_ROLES.pms,
      applicationName: 'chartbridge-pms-audit',
      settings: AUDIT_SESSION_SETTINGS,
      onConnectionLost,
    }),
    ehr: createDatabase<AuditDatabase>({
      target: target(4),
      role: DATABASE_ROLES.ehr,
      applicationName: 'chartbridge-ehr-audit',
      settings: AUDIT_SESSION_SETTINGS,
      onConnectionLost,
    }),
    gateway: createDatabase<AuditDatabase>({
      target: target(4),
      role: DATABASE_ROLES.gateway,
      applicationName: 'chartbridge-gateway-audit',
      settings: AUDIT_SESSION_SETTINGS,
      onConnectionLost,
    }),
  };
  // The outbox relay polls on a connection of its own, apart from request traffic (and its counters).
  const relayDatabase = createDatabase<EhrDatabase>({
    target: target(2),
    role: DATABASE_ROLES.ehr,
    applicationName: 'chartbridge-ehr-relay',
    onConnectionLost,
  });
  // Reports read a replica when REPORTS_DATABASE_URL names one, else this database; as the read-only reports role.
  const reportsConfig = options.reports ?? loadReportsConfig('start');
  const pseudonyms = await openPatientPseudonyms(reportsConfig.pseudonymKey);
  const reportsDatabase = createDatabase<ReportsDatabase>({
    target: reportsConfig.databaseUrl ? { kind: 'server', url: reportsConfig.databaseUrl, poolSize: 4 } : target(4),
    role: DATABASE_ROLES.reports,
    settings: reportsSessionSettings(reportsConfig.statementTimeoutMs),
    applicationName: 'chartbridge-pms-reports',
    onConnectionLost,
  });
  const started: Array<{ name: string; stop: () => Promise<void> }> = [];
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) await part.stop();
    await pmsDatabase.close();
    await ehrDatabase.close();
    for (const audit of Object.values(audits)) await audit.close();
    await relayDatabase.close();
    await reportsDatabase.close();
  };
  try {
    const common = { host: options.host ?? '0.0.0.0', production: options.production, internalKey: options.internalKey };
    const pms: RunningSubgraph = await startPmsSubgraph({
      ...common,
      database: pmsDatabase,
      audit: audits.pms,
      keyring: options.keyring,
      reports: { database: reportsDatabase, pseudonyms },
      port: options.ports.pms,
      logger: createLogger('pms', options.logLevel, options.logSink),
    });
    started.push({ name: 'pms', stop: () => pms.stop() });
    const ehr: RunningEhrSubgraph = await startEhrSubgraph({
      ...common,
      database: ehrDatabase,
      audit: audits.ehr,
      relayDatabase,
      pmsUrl: pms.url,
      port: options.ports.ehr,
      logger: createLogger('ehr', options.logLevel, options.logSink),
    });
    started.push({ name: 'ehr', stop: () => ehr.stop() });
    const gateway: RunningGateway = await startGateway({
      supergraphSdl: readSupergraphSdl(),
      policyManifest: readPolicyManifest(),
      subgraphUrls: { pms: pms.url, ehr: ehr.url },
      port: options.ports.gateway,
      host: common.host,
      verifyToken: options.verifyToken,
      internalKey: options.internalKey,
      audit: audits.gateway,
      logger: createLogger('gateway', options.logLevel, options.logSink),
      limits: { ...options.limits, production: options.production },
    });
    started.push({ name: 'gateway', stop: () => gateway.stop() });
    return {
      gatewayUrl: gateway.url,
      pmsUrl: pms.url,
      ehrUrl: ehr.url,
      pmsDatabase,
      ehrDatabase,
      gatewayAudit: audits.gateway,
      seeded,
      relayOutboxOnce: () => ehr.relayOutboxOnce(),
      async stopSubgraph(name) {
        const index = started.findIndex((part) => part.name === name);
        const [part] = index >= 0 ? started.splice(index, 1) : [];
        await part?.stop();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

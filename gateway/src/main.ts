import { AUDIT_SESSION_SETTINGS, DATABASE_ROLES, createDatabase, migrateAll, type AuditDatabase } from '@chartbridge/db';
import { InternalTokenKey, createLogger, logConnectionLost, logMigrationProgress, stopOnSignals } from '@chartbridge/kit';
import { readPolicyManifest, readSupergraphSdl } from '@chartbridge/schema';
import { verifierFromConfig } from './auth/verifier-from-config.js';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway-server.js';

// `pnpm start:gateway`: the gateway as its own process, in front of subgraphs at PMS_URL and EHR_URL.
const config = loadGatewayConfig();
const logger = createLogger('gateway', config.logLevel);
if (config.migrationDatabaseUrl) {
  const owner = createDatabase<unknown>({
    target: { kind: 'server', url: config.migrationDatabaseUrl, poolSize: 1 },
    applicationName: 'chartbridge-gateway-migrate',
    onNotice: logMigrationProgress(logger),
  });
  try {
    await migrateAll(owner.db);
  } finally {
    await owner.close();
  }
}
const audit = createDatabase<AuditDatabase>({
  target: { kind: 'server', url: config.databaseUrl, poolSize: 4 },
  role: DATABASE_ROLES.gateway,
  applicationName: 'chartbridge-gateway-audit',
  settings: AUDIT_SESSION_SETTINGS,
  onConnectionLost: logConnectionLost(logger),
});
const gateway = await startGateway({
  supergraphSdl: readSupergraphSdl(),
  policyManifest: readPolicyManifest(),
  subgraphUrls: { pms: config.pmsUrl, ehr: config.ehrUrl },
  port: config.port,
  host: config.host,
  logger,
  subgraphTimeoutMs: config.subgraphTimeoutMs,
  verifyToken: await verifierFromConfig(config.auth),
  internalKey: new InternalTokenKey(config.internalTokenSecret),
  audit,
  limits: { ...config.limits, production: config.auth.production },
});
stopOnSignals(async () => {
  await gateway.stop();
  await audit.close();
}, logger);

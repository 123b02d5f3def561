import { DATABASE_ROLES, createDatabase, openFieldKeyring, type PmsDatabase } from '@chartbridge/db';
import { InternalTokenKey, logConnectionLost, runSubgraphProcess } from '@chartbridge/kit';
import { loadPmsConfig } from './config.js';
import { openPatientPseudonyms } from './reports/pseudonym.js';
import { reportsSessionSettings, type ReportsDatabase } from './reports/report-database.js';
import { exitOnTimeZoneMismatch, startPmsSubgraph } from './server.js';

// `pnpm start:pms`: the PMS subgraph as its own process on PostgreSQL.
const config = loadPmsConfig();
const keyring = await openFieldKeyring(config.phiKeys);
const pseudonyms = await openPatientPseudonyms(config.reports.pseudonymKey);
await runSubgraphProcess<PmsDatabase>({
  name: 'pms',
  role: DATABASE_ROLES.pms,
  config,
  start: async ({ database, audit }, logger) => {
    // Reports read the replica at REPORTS_DATABASE_URL when there is one, as the read-only reports role.
    const reports = createDatabase<ReportsDatabase>({
      target: {
        kind: 'server',
        url: config.reports.databaseUrl ?? config.databaseUrl,
        poolSize: Math.max(2, Math.ceil(config.poolSize / 2)),
      },
      role: DATABASE_ROLES.reports,
      settings: reportsSessionSettings(config.reports.statementTimeoutMs),
      applicationName: 'chartbridge-pms-reports',
      onConnectionLost: logConnectionLost(logger),
    });
    const subgraph = await startPmsSubgraph({
      database,
      audit,
      keyring,
      practiceTimeZone: config.practiceTimeZone,
      reports: { database: reports, pseudonyms },
      internalKey: new InternalTokenKey(config.internalTokenSecret),
      port: config.port,
      host: config.host,
      production: config.production,
      logger,
    }).catch(exitOnTimeZoneMismatch('pms'));
    return {
      ...subgraph,
      async stop() {
        await subgraph.stop();
        await reports.close();
      },
    };
  },
});

import { DATABASE_ROLES, type EhrDatabase } from '@chartbridge/db';
import { InternalTokenKey, runSubgraphProcess } from '@chartbridge/kit';
import { loadEhrConfig } from './config.js';
import { startEhrSubgraph } from './server.js';

// `pnpm start:ehr`: the EHR subgraph as its own process on PostgreSQL.
const config = loadEhrConfig();
await runSubgraphProcess<EhrDatabase>({
  name: 'ehr',
  role: DATABASE_ROLES.ehr,
  config,
  start: ({ database, audit }, logger) =>
    startEhrSubgraph({
      database,
      audit,
      pmsUrl: config.pmsUrl,
      outboxRelay: config.outboxRelay,
      internalKey: new InternalTokenKey(config.internalTokenSecret),
      port: config.port,
      host: config.host,
      production: config.production,
      logger,
    }),
});

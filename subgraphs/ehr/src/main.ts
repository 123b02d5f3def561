import { DATABASE_ROLES, type EhrDatabase } from '@chartbridge/db';
import { runSubgraphProcess } from '@chartbridge/kit';
import { loadEhrConfig } from './config.js';
import { startEhrSubgraph } from './server.js';

// `pnpm start:ehr`: the PMS subgraph as its own process on PostgreSQL.
const config = loadEhrConfig();
await runSubgraphProcess<EhrDatabase>({
  name: 'ehr',
  role: DATABASE_ROLES.ehr,
  config,
  start: (database, logger) =>
    startEhrSubgraph({ database, port: config.port, host: config.host, production: config.production, logger }),
});

import { DATABASE_ROLES, openFieldKeyring, type PmsDatabase } from '@chartbridge/db';
import { InternalTokenKey, runSubgraphProcess } from '@chartbridge/kit';
import { loadPmsConfig } from './config.js';
import { startPmsSubgraph } from './server.js';

// `pnpm start:pms`: the PMS subgraph as its own process on PostgreSQL.
const config = loadPmsConfig();
const keyring = await openFieldKeyring(config.phiKeys);
await runSubgraphProcess<PmsDatabase>({
  name: 'pms',
  role: DATABASE_ROLES.pms,
  config,
  start: ({ database, audit }, logger) =>
    startPmsSubgraph({ database, audit, keyring, practiceTimeZone: config.practiceTimeZone, internalKey: new InternalTokenKey(config.internalTokenSecret), port: config.port, host: config.host, production: config.production, logger }),
});

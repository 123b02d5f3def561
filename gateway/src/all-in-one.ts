import { loadPhiKeyConfig, openEmbeddedPostgres, openFieldKeyring } from '@chartbridge/db';
import { randomBytes } from 'node:crypto';
import { InternalTokenKey, createLogger, stopOnSignals } from '@chartbridge/kit';
import { verifierFromConfig } from './auth/verifier-from-config.js';
import { loadAllInOneConfig } from './config.js';
import { startPlatform } from './platform.js';
import { exitOnTimeZoneMismatch } from '@chartbridge/pms';

// `pnpm start`: the whole platform in one process, on embedded PostgreSQL unless DATABASE_URL is set.
const DEMO_PATIENTS = 200;
const DEMO_SEED = 1;

const config = loadAllInOneConfig();
// PHI_ENCRYPTION_KEYS, or (outside production) the development keyring that `pnpm seed` uses too.
const keyring = await openFieldKeyring(loadPhiKeyConfig('start'));
const logger = createLogger('start', config.logLevel);
const pglite = config.databaseUrl ? undefined : await openEmbeddedPostgres({ dataDir: config.dataDir });
const platform = await startPlatform({
  database: pglite ? { pglite } : { url: config.databaseUrl ?? '' },
  ports: config.ports,
  host: config.host,
  ...(config.seedDemo ? { seedIfEmpty: { patients: DEMO_PATIENTS, seed: DEMO_SEED } } : {}),
  production: config.production,
  logLevel: config.logLevel,
  limits: config.limits,
  verifyToken: await verifierFromConfig(config.auth),
  // All parts live in this process: a fresh secret each start is enough.
  internalKey: new InternalTokenKey(randomBytes(32)),
  keyring,
}).catch(exitOnTimeZoneMismatch('start'));
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${config.dataDir}`;
console.log(
  [
    '',
    `ChartBridge is running on ${where}.`,
    platform.seeded ? `  first run: seeded ${platform.seeded.patients} demo patients, ${platform.seeded.encounters} encounters` : '',
    `  gateway  ${platform.gatewayUrl}   <- send queries here`,
    `  pms      ${platform.pmsUrl}`,
    `  ehr      ${platform.ehrUrl}`,
    config.auth.jwksUrl ? '' : '  tokens: pnpm -s token -- --role clinician   (then: Authorization: Bearer <token>)',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n'),
);
stopOnSignals(async () => {
  await platform.stop();
  await pglite?.close();
}, logger);

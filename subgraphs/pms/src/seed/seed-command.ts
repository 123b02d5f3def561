import { parseArgs } from 'node:util';
import {
  ProgressBar,
  SeedRefusedError,
  loadPhiKeyConfig,
  migrateAll,
  openCommandDatabase,
  openFieldKeyring,
  type SeedDatabase,
} from '@chartbridge/db';
import { describeSeed, seedPractice } from './seed-practice.js';

// `pnpm seed -- --patients N [--seed S] [--reset]`: the whole synthetic practice, its revenue cycle
// included, into DATABASE_URL or the embedded PostgreSQL that `pnpm start` uses.

const USAGE = 'usage: pnpm seed -- --patients N [--seed S] [--reset]';

function parse(argv: string[]): { patients: number; seed: number; reset: boolean } {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      patients: { type: 'string' },
      seed: { type: 'string', default: '1' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  if (values.patients === undefined || !Number.isInteger(patients) || patients < 1 || patients > 2_000_000) {
    throw new RangeError(`--patients must be a whole number from 1 to 2000000\n${USAGE}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`--seed must be a whole number\n${USAGE}`);
  return { patients, seed, reset: values.reset };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  // The keys the PMS subgraph opens SSNs with: PHI_ENCRYPTION_KEYS, or the development keyring.
  const keyring = await openFieldKeyring(loadPhiKeyConfig('seed'));
  const { db, close, where } = await openCommandDatabase<SeedDatabase>('chartbridge-seed');
  try {
    await migrateAll(db);
    const startedAt = Date.now();
    const bar = new ProgressBar('patients', args.patients);
    let claimsBar: ProgressBar | undefined;
    const onReportProgress = (done: number, total: number) => (claimsBar ??= new ProgressBar('report tables (claims)', total)).update(done);
    const summary = await seedPractice(db, { ...args, keyring, onReportProgress }, (done) => bar.update(done));
    const [headline, ...details] = describeSeed(summary);
    console.log(`${headline} (seed ${args.seed}) into ${where} in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);
    for (const line of details) console.log(line);
    console.log(`SSNs sealed under key ${keyring.activeKid}`);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof RangeError || error instanceof SeedRefusedError) console.error(error.message);
  else console.error('seed failed:', error instanceof Error ? error.message : 'unknown error');
  process.exit(1);
});

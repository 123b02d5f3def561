import { openCommandDatabase } from '../command-database.js';
import { migrateAll } from '../migrator.js';
import { ProgressBar } from '../seed/progress-bar.js';
import { AUDIT_CHAINS } from './audit-chain.js';
import { auditChainLengths, verifyAuditChains } from './audit-verify.js';

// `pnpm audit:verify`: exit 0 when every audit chain is intact, 1 at the first broken link, 2 when
// the database could not be checked, so a scheduler can tell tampering from an outage. Prints
// positions and ids only, never a row's contents: those may be PHI.

// Below this many rows the walk takes about a second: no progress bar.
const PROGRESS_FROM_ROWS = 50_000;

async function main(): Promise<number> {
  const { db, close } = await openCommandDatabase<unknown>('chartbridge-audit-verify');
  try {
    // An empty or older database verifies too: its chains are simply empty.
    await migrateAll(db);
    const lengths = await auditChainLengths(db);
    const total = AUDIT_CHAINS.reduce((sum, chain) => sum + lengths[chain], 0);
    const bar = total >= PROGRESS_FROM_ROWS ? new ProgressBar('audit rows', total) : undefined;
    const result = await verifyAuditChains(db, bar ? (checked) => bar.update(checked) : undefined);
    if (result.ok) {
      console.log(`audit chains intact: ${AUDIT_CHAINS.map((chain) => `${chain} ${result.chains[chain] ?? 0}`).join(', ')} rows`);
      return 0;
    }
    // A bar on a terminal stops mid-line when the walk stops early.
    if (bar && process.stderr.isTTY) process.stderr.write('\n');
    const id = result.id === null ? '' : ` (id ${result.id})`;
    console.error(`audit chain ${result.chain} broken at seq ${result.seq}${id}: ${result.reason}`);
    return 1;
  } finally {
    await close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('audit verify failed:', error instanceof Error ? error.message : 'unknown error');
    process.exitCode = 2;
  },
);

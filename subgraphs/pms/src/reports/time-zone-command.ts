import { EmbeddedDatabaseBusyError, openCommandDatabase, useReportsTimeZone } from '@chartbridge/db';
import { isKnownTimeZone } from '../config.js';

// `pnpm -s reports:time-zone -- ZONE`: makes ZONE (an IANA name) the practice time zone the reports'
// A/R by day is kept for, recomputing it; writers of A/R wait meanwhile (14 to 18 s at 100,000
// patients). Run it once when the practice's PRACTICE_TIME_ZONE changes, before PMS processes start
// with the new setting: a PMS refuses to start while its zone and the database's differ. Works as the
// owner on DATABASE_URL, else on the embedded database of `pnpm start` (CHARTBRIDGE_DATA_DIR).

const USAGE = 'usage: pnpm -s reports:time-zone -- ZONE   (an IANA time zone, such as America/Chicago)';

class UsageError extends Error {}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const zone = args[0]?.trim();
  if (args.length !== 1 || !zone || zone.startsWith('-')) throw new UsageError('give exactly one time zone');
  // The runtime's check first, as the PMS makes it of PRACTICE_TIME_ZONE; the database checks again.
  if (!isKnownTimeZone(zone)) throw new UsageError(`${JSON.stringify(zone)} is not a known IANA time zone`);
  const db = await openCommandDatabase<unknown>('chartbridge-reports-time-zone');
  try {
    console.log(
      `reports: making ${zone} the practice time zone of ${db.where} (A/R by day is recomputed if it was another; writers of A/R wait)`,
    );
    const started = performance.now();
    const recomputed = await useReportsTimeZone(db.db, zone);
    console.log(
      recomputed
        ? `reports: ${zone} set; A/R by day recomputed in ${((performance.now() - started) / 1000).toFixed(1)} s. Start the PMS with PRACTICE_TIME_ZONE=${zone}.`
        : `reports: ${zone} was already the practice time zone; nothing changed.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  if (error instanceof UsageError) console.error(`reports:time-zone: ${error.message}\n${USAGE}`);
  else if (error instanceof EmbeddedDatabaseBusyError)
    console.error('reports:time-zone: the embedded database is in use (pnpm start?): stop it, or set DATABASE_URL');
  else if (code === '22023') console.error('reports:time-zone: PostgreSQL does not know that time zone');
  else if (code === '42883' || code === '3F000' || code === '42P01')
    console.error('reports:time-zone: the database has no reports schema yet: run the migrations (start the PMS, or `pnpm start`) first');
  else
    console.error(
      `reports:time-zone failed: ${error instanceof Error ? error.name : 'unknown error'}${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  process.exit(1);
});

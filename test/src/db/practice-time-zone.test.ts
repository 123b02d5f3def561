import { randomBytes } from 'node:crypto';
import { DATABASE_ROLES, createDatabase, migrateAll, startReportsTimeZone, type Database } from '@chartbridge/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, startProcess, waitForHealthy } from '../support/processes.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';

// The reports keep A/R by day for one practice time zone. A starting PMS sets it on a database that
// has none and otherwise only checks it: a PMS configured with another zone refuses to start and
// says how to change it (`pnpm reports:time-zone`), instead of recomputing the rollups at every
// start of every process that disagrees.

describe('the practice time zone of the reports', () => {
  let database: TestDatabase;
  let owner: Database<unknown>;
  let pms: Database<unknown>;

  beforeAll(async () => {
    database = await freshDatabase();
    owner = createDatabase<unknown>({ target: database.target, applicationName: 'zone-test' });
    await migrateAll(owner.db);
    pms = createDatabase<unknown>({ target: database.target, role: DATABASE_ROLES.pms, applicationName: 'zone-test-pms' });
  });

  afterAll(async () => {
    await pms?.close();
    await owner?.close();
    await database?.drop();
  });

  const stored = async () =>
    (await sql<{ zone: string | null }>`select time_zone as zone from reports.practice`.execute(owner.db)).rows[0]?.zone;

  test("a PMS's first start sets its zone; later starts, with it or another, change nothing", async () => {
    expect(await stored()).toBeNull();
    expect(await startReportsTimeZone(pms.db, 'America/New_York')).toEqual({ zone: 'America/New_York', set: true });
    expect(await startReportsTimeZone(pms.db, 'America/New_York')).toEqual({ zone: 'America/New_York', set: false });
    expect(await startReportsTimeZone(pms.db, 'America/Chicago')).toEqual({ zone: 'America/New_York', set: false });
    expect(await stored()).toBe('America/New_York');
  });

  test('concurrent first starts take turns: one zone wins and both are told which', async () => {
    await sql`update reports.practice set time_zone = null`.execute(owner.db);
    const other = createDatabase<unknown>({ target: database.target, role: DATABASE_ROLES.pms, applicationName: 'zone-test-pms-2' });
    try {
      const [a, b] = await Promise.all([startReportsTimeZone(pms.db, 'America/Denver'), startReportsTimeZone(other.db, 'Europe/Paris')]);
      expect(a.zone).toBe(b.zone);
      expect([a.set, b.set].sort()).toEqual([false, true]);
      expect(await stored()).toBe(a.zone);
    } finally {
      await other.close();
      await sql`update reports.practice set time_zone = 'America/New_York'`.execute(owner.db);
    }
  });

  test('an unknown zone on a first start is refused and nothing is set', async () => {
    await sql`update reports.practice set time_zone = null`.execute(owner.db);
    try {
      await expect(startReportsTimeZone(pms.db, 'Mars/Olympus_Mons')).rejects.toThrow(/unknown time zone/);
      expect(await stored()).toBeNull();
    } finally {
      await sql`update reports.practice set time_zone = 'America/New_York'`.execute(owner.db);
    }
  });

  // The PMS and the command as their own processes, as an operator runs them.
  describe.skipIf(!SERVER_URL)('`pnpm start:pms` and `pnpm reports:time-zone`', () => {
    const url = () => (database as TestDatabase & { kind: 'server' }).url;
    const pmsEnv = (zone: string, port: number) => ({
      DATABASE_URL: url(),
      INTERNAL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      PHI_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PHI_ENCRYPTION_ACTIVE_KEY: 'k1',
      REPORTS_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      PRACTICE_TIME_ZONE: zone,
      PMS_PORT: String(port),
      PMS_HOST: '127.0.0.1',
    });
    const command = (...args: string[]) =>
      startProcess('subgraphs/pms/src/reports/time-zone-command.ts', ['--', ...args], { DATABASE_URL: url() });

    test('a PMS configured with another zone exits 1 and names both zones and the command', async () => {
      const refused = startProcess('subgraphs/pms/src/main.ts', [], pmsEnv('America/Chicago', await freePort()));
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain(
        "pms: PRACTICE_TIME_ZONE is America/Chicago, but this database's reports are kept for America/New_York.",
      );
      expect(refused.output()).toContain('pnpm -s reports:time-zone -- America/Chicago');
      expect(await stored()).toBe('America/New_York');
    });

    test('the command changes the zone once; then that PMS starts', async () => {
      const changed = command('America/Chicago');
      expect(await changed.exited).toBe(0);
      expect(changed.stdout()).toMatch(/America\/Chicago set; A\/R by day recomputed in \d+\.\d s/);
      expect(await stored()).toBe('America/Chicago');
      const again = command('America/Chicago');
      expect(await again.exited).toBe(0);
      expect(again.stdout()).toContain('America/Chicago was already the practice time zone; nothing changed.');

      const port = await freePort();
      const started = startProcess('subgraphs/pms/src/main.ts', [], pmsEnv('America/Chicago', port));
      try {
        await waitForHealthy(`http://127.0.0.1:${port}/health`, [started]);
      } finally {
        started.child.kill('SIGTERM');
        expect(await started.exited).toBe(0);
      }
      expect(started.output()).not.toContain('reports.time_zone_set');
    });

    test('the command refuses a zone nobody knows, or none, with its usage, and changes nothing', async () => {
      for (const args of [['Mars/Olympus_Mons'], [], ['America/Chicago', 'Europe/Paris']]) {
        const refused = command(...args);
        expect(await refused.exited).toBe(1);
        expect(refused.output()).toMatch(/^reports:time-zone: .+\nusage: pnpm -s reports:time-zone -- ZONE/);
        expect(refused.stdout()).toBe('');
      }
      expect(await stored()).toBe('America/Chicago');
      const help = command('--help');
      expect(await help.exited).toBe(0);
      expect(help.stdout()).toMatch(/^usage: pnpm -s reports:time-zone -- ZONE/);
    });
  });
});

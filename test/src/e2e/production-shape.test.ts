import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '@chartbridge/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../support/test-database.js';
import { freePort, startProcess, waitForHealthy, type RunningProcess } from '../support/processes.js';
import { postGraphQL } from '../support/test-platform.js';

// `pnpm seed`, `pnpm start:pms`, `pnpm start:ehr` and `pnpm start:gateway` as separate processes on
// PostgreSQL, talking HTTP to each other: the production shape. Needs a server (DATABASE_URL).
describe.skipIf(!SERVER_URL)('the production shape: one process per part', () => {
  let database: TestDatabase & { kind: 'server' };
  const processes: Record<string, RunningProcess> = {};
  let gatewayUrl = '';
  let keyDir = '';
  let authorization = '';
  const INTERNAL_TOKEN_SECRET = randomBytes(32).toString('base64url');
  // Production refuses to run without PHI encryption keys; the seed encrypts with the same ones.
  const PHI_KEYS = { PHI_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, PHI_ENCRYPTION_ACTIVE_KEY: 'k1' };
  const auth = () => ({ AUTH_DEV_KEY_FILE: join(keyDir, 'jwt.json'), NODE_ENV: 'development' });

  beforeAll(async () => {
    database = (await freshDatabase()) as TestDatabase & { kind: 'server' };
    keyDir = await mkdtemp(join(tmpdir(), 'chartbridge-keys-'));
  });

  afterAll(async () => {
    for (const p of Object.values(processes)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await database?.drop();
    await rm(keyDir, { recursive: true, force: true });
  });

  test('`pnpm seed` fills an empty database with a progress report and refuses a second run', async () => {
    const env = { DATABASE_URL: database.url, ...PHI_KEYS };
    const first = startProcess('subgraphs/pms/src/seed/seed-command.ts', ['--', '--patients', '30', '--seed', '5'], env);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/patients: 100% \(30\/30/);
    expect(first.output()).toMatch(/seeded 30 patients/);
    const again = startProcess('subgraphs/pms/src/seed/seed-command.ts', ['--patients', '30'], env);
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/already holds patients; pass --reset/);
  });

  test('`pnpm seed` explains its usage on bad arguments', async () => {
    const bad = startProcess('subgraphs/pms/src/seed/seed-command.ts', ['--patients', 'many'], { DATABASE_URL: database.url, ...PHI_KEYS });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/--patients must be a whole number/);
  });

  test('three processes answer the joined query over HTTP', async () => {
    const [pmsPort, ehrPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
    // The PMS refuses production without the key of reports' patient pseudonyms.
    const subgraphEnv = {
      DATABASE_URL: database.url,
      INTERNAL_TOKEN_SECRET,
      ...PHI_KEYS,
      REPORTS_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
    };
    processes['pms'] = startProcess('subgraphs/pms/src/main.ts', [], { ...subgraphEnv, PMS_PORT: String(pmsPort), PMS_HOST: '127.0.0.1' });
    processes['ehr'] = startProcess('subgraphs/ehr/src/main.ts', [], { ...subgraphEnv, EHR_PORT: String(ehrPort), EHR_HOST: '127.0.0.1' });
    processes['gateway'] = startProcess('gateway/src/main.ts', [], {
      ...auth(),
      INTERNAL_TOKEN_SECRET,
      DATABASE_URL: database.url,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: '127.0.0.1',
      PMS_URL: `http://127.0.0.1:${pmsPort}/graphql`,
      EHR_URL: `http://127.0.0.1:${ehrPort}/graphql`,
    });
    const all = Object.values(processes);
    await waitForHealthy(`http://127.0.0.1:${pmsPort}/health`, all);
    await waitForHealthy(`http://127.0.0.1:${ehrPort}/health`, all);
    await waitForHealthy(`http://127.0.0.1:${gatewayPort}/health`, all);
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;

    const token = startProcess('gateway/src/auth/token-command.ts', ['--', '--role', 'clinician'], auth());
    expect(await token.exited).toBe(0);
    authorization = `Bearer ${token.output().trim()}`;
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

    const res = await postGraphQL<{
      encounters: {
        edges: Array<{ node: { patient: { mrn: string }; provider: { npi: string }; notes: Array<{ author: { npi: string } }> } }>;
      };
    }>(
      gatewayUrl,
      '{ encounters(first: 5) { edges { node { id serviceDate patient { id mrn allergies { substance } } provider { npi } notes { id status author { npi } } } } } }',
      {},
      { authorization },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.encounters.edges).toHaveLength(5);
    for (const { node } of res.data!.encounters.edges) {
      expect(node.patient.mrn).toMatch(/^CB\d{8}$/);
      expect(node.provider.npi).toMatch(/^\d{10}$/);
      expect(node.notes.length).toBeGreaterThan(0);
    }
  });

  test('a production subgraph masks unexpected errors and the gateway shows no stack trace', async () => {
    const res = await postGraphQL(gatewayUrl, '{ patient(id: "not-an-id") { id } }', {}, { authorization });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id', serviceName: 'pms' });
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at \//);
  });

  test('`pnpm -s token` refuses when a production key is configured', async () => {
    const refused = startProcess('gateway/src/auth/token-command.ts', ['--role', 'clinician'], {
      ...auth(),
      AUTH_JWKS_URL: 'https://idp.example/jwks.json',
    });
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toMatch(/production key is configured/);
  });

  test('the gateway refuses to start in production without a JWKS', async () => {
    const gateway = startProcess('gateway/src/main.ts', [], {
      INTERNAL_TOKEN_SECRET,
      DATABASE_URL: database.url,
      GATEWAY_PORT: '0',
      NODE_ENV: 'production',
    });
    expect(await gateway.exited).toBe(1);
    expect(gateway.output()).toMatch(/AUTH_JWKS_URL is required when NODE_ENV=production/);
  });

  test('when the server ends every connection of the three processes, they log it, stay up and answer', async () => {
    // A joined query first, so every process has connections idle in its pools (pg closes those idle 10 s).
    const JOINED = '{ encounters(first: 3) { edges { node { patient { mrn } notes { id } } } } }';
    expect((await postGraphQL(gatewayUrl, JOINED, {}, { authorization })).errors).toBeUndefined();
    const admin = createDatabase<unknown>({ target: database.target, applicationName: 'production-shape-admin' });
    try {
      const { rows } = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and application_name like 'chartbridge-%'`.execute(admin.db);
      // At least the pools the query used: the gateway's audit, the PMS's and the EHR's own and audit ones.
      expect(rows[0]?.n).toBeGreaterThanOrEqual(5);
      for (let i = 0; i < 100; i++) {
        const left = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'chartbridge-%' and backend_start < now() - interval '1 second'`.execute(
          admin.db,
        );
        if (left.rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await admin.close();
    }
    const res = await postGraphQL<{ encounters: { edges: Array<{ node: { patient: { mrn: string }; notes: unknown[] } }> } }>(
      gatewayUrl,
      JOINED,
      {},
      { authorization },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.encounters.edges).toHaveLength(3);
    for (const name of ['gateway', 'pms', 'ehr']) {
      expect(processes[name]!.child.exitCode).toBeNull();
      const lost = processes[name]!.output()
        .split('\n')
        .filter((l) => l.includes('"event":"db.connection_lost"'));
      expect(lost.some((l) => l.includes('"code":"57P01"') && l.includes(`"pool":"chartbridge-`))).toBe(true);
    }
  });

  test('each process stops cleanly on SIGTERM', async () => {
    for (const name of ['gateway', 'pms', 'ehr']) {
      const p = processes[name]!;
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.output()).toMatch(/"event":"shutdown.done"/);
    }
  });
});

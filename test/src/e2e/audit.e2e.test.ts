import { AUDIT_SESSION_SETTINGS, verifyAuditChains } from '@chartbridge/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditRecords } from '../support/audit.js';
import { holdLock } from '../support/held-lock.js';
import { restrictedNoteFixture } from '../support/restricted-note.js';
import { SERVER_URL } from '../support/test-database.js';
import { startTestPlatform, type TestPlatform } from '../support/test-platform.js';

// The audit trail as requests write it: one gateway record per request, one subgraph record per
// patient whose data was returned or refused, hash-chained, and no data when it cannot be written.

let platform: TestPlatform;
const fixture = { patient: '', family: '', mrn: '', other: '', restrictedNote: '' };

beforeAll(async () => {
  platform = await startTestPlatform({ patients: 40, seed: 9 });
  Object.assign(fixture, await restrictedNoteFixture(platform));
});

afterAll(async () => {
  await platform?.stop();
});

/** The records of the requests a test tagged `X-Request-Id: tag` (the gateway's own ids; see taggedRequests). */
const eventsOf = (tag: string) => auditRecords(platform, { tag });

const PATIENT_QUERY = (id: string) => `{ patient(id: "${id}") { mrn name { family } allergies { substance } } }`;

describe('what a request leaves in the audit trail', () => {
  test('the gateway records the request and each subgraph the patient whose data it returned', async () => {
    const requestId = 'audit-read-1';
    const res = await platform.query(
      PATIENT_QUERY(fixture.patient),
      {},
      { headers: { 'x-request-id': requestId, 'x-client-name': 'chart-ui' } },
    );
    expect(res.errors).toBeUndefined();
    // An answer with PHI: no cache, shared or private, may keep it.
    expect(res.headers.get('cache-control')).toBe('no-store');
    const events = await eventsOf(requestId);
    expect(events.map((e) => [e.chain, e.action, e.outcome, e.patient_id, e.data_classes])).toEqual([
      // The EHR was asked only for allergies (the gateway knew the patient's id already).
      ['ehr', 'patient.access', 'success', fixture.patient, ['clinical']],
      ['gateway', 'graphql.request', 'success', null, []],
      ['pms', 'patient.access', 'success', fixture.patient, ['demographic', 'reference']],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        actor_id: 'dev-clinician',
        role: 'clinician',
        purpose: 'TREATMENT',
        client: 'chart-ui',
        break_glass: false,
      });
    }
    const gateway = events.find((e) => e.chain === 'gateway')!;
    expect(gateway.operation_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(gateway.latency_ms).toBeGreaterThanOrEqual(0);
    expect(gateway.source_address).toMatch(/127\.0\.0\.1/);
  });

  test('a request that touches no patient leaves only the gateway record', async () => {
    await platform.query('{ providers(first: 2) { edges { node { npi } } } }', {}, { headers: { 'x-request-id': 'audit-providers' } });
    expect((await eventsOf('audit-providers')).map((e) => e.chain)).toEqual(['gateway']);
  });

  test('break-the-glass access is flagged with its reason', async () => {
    const reason = 'Acute psychiatric crisis in the emergency room';
    const res = await platform.query(
      `{ clinicalNote(id: "${fixture.restrictedNote}") { subjective } }`,
      {},
      { headers: { 'x-request-id': 'audit-bg', 'x-break-glass-reason': reason } },
    );
    expect(res.errors).toBeUndefined();
    const ehr = (await eventsOf('audit-bg')).find((e) => e.chain === 'ehr')!;
    expect(ehr).toMatchObject({ action: 'patient.access', patient_id: fixture.patient, break_glass: true, break_glass_reason: reason });
    expect(ehr.data_classes).toContain('sensitive_clinical');
  });

  test('a refused row is recorded as denied, and the request as denied', async () => {
    await platform.query(
      PATIENT_QUERY(fixture.other),
      {},
      { as: { role: 'patient', patient: fixture.patient }, headers: { 'x-request-id': 'audit-denied' } },
    );
    const events = await eventsOf('audit-denied');
    expect(events.map((e) => [e.chain, e.action, e.outcome, e.patient_id])).toEqual([
      ['gateway', 'graphql.request', 'denied', null],
      ['pms', 'access.denied', 'denied', fixture.other],
    ]);
  });

  test('a refused token is recorded without an identity', async () => {
    const res = await platform.query('{ providers { edges { cursor } } }', {}, { as: null, headers: { 'x-request-id': 'audit-anon' } });
    expect(res.status).toBe(401);
    expect(await eventsOf('audit-anon')).toEqual([
      expect.objectContaining({
        chain: 'gateway',
        action: 'auth.refused.missing_token',
        outcome: 'unauthenticated',
        actor_id: 'anonymous',
      }),
    ]);
  });

  test('holds no PHI in clear beyond ids', async () => {
    const { rows } = await sql<{ row: string }>`select row_to_json(e)::text as row from audit.event e`.execute(platform.owner.db);
    const text = rows.map((r) => r.row).join('\n');
    expect(text).not.toContain(fixture.family);
    expect(text).not.toContain(fixture.mrn);
  });

  test('leaves every chain intact', async () => {
    const result = await verifyAuditChains(platform.owner.db);
    expect(result).toMatchObject({ ok: true });
  });
});

describe('refused tokens', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  test.each([
    ['expired', async () => platform.token({ role: 'clinician' }, { ttlSeconds: -300 }), 'ERR_JWT_EXPIRED'],
    [
      'for another audience',
      async () => platform.token({ role: 'clinician' }, { audience: 'elsewhere' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED',
    ],
    ['unsigned (alg: none)', async () => `${b64({ alg: 'none' })}.${b64({ sub: 'x', role: 'clinician' })}.`, 'ERR_JOSE_ALG_NOT_ALLOWED'],
  ])('a token %s is recorded as unauthenticated with its reason', async (_case, make, reason) => {
    const requestId = `audit-token-${reason}-${Math.random().toString(36).slice(2)}`;
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await make()}`, 'x-request-id': requestId },
      body: JSON.stringify({ query: '{ providers { edges { cursor } } }' }),
    });
    expect(res.status).toBe(401);
    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({ chain: 'gateway', action: expect.stringMatching(/^auth\.refused\.ERR_/), outcome: 'unauthenticated' }),
    ]);
    expect((await eventsOf(requestId))[0]?.action).toBe(`auth.refused.${reason}`);
  });
});

describe('reading the trail', () => {
  const EVENTS = `query ($p: ID) { auditEvents(patientId: $p, first: 100) { edges { node { chain action role purpose outcome dataClasses breakGlass } } } }`;

  test("the compliance role reads a patient's events; nobody else may", async () => {
    const res = await platform.query<{ auditEvents: { edges: Array<{ node: { chain: string; action: string; breakGlass: boolean } }> } }>(
      EVENTS,
      { p: fixture.patient },
      { as: { role: 'compliance' } },
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.auditEvents.edges.map((e) => e.node);
    expect(nodes.some((n) => n.chain === 'pms' && n.action === 'patient.access')).toBe(true);
    expect(nodes.some((n) => n.breakGlass)).toBe(true);
    for (const role of ['clinician', 'biller', 'admin'] as const) {
      const refused = await platform.query(EVENTS, { p: fixture.patient }, { as: { role } });
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
  });

  test("a patient gets an accounting of disclosures: access outside treatment, not the clinicians' own", async () => {
    await platform.query(`{ patient(id: "${fixture.patient}") { name { family } } }`, {}, { as: { role: 'biller' } });
    const res = await platform.query<{
      patient: { disclosures: { edges: Array<{ node: { role: string; purpose: string; action: string } }> } };
    }>(
      `{ patient(id: "${fixture.patient}") { disclosures(first: 50) { edges { node { role purpose action } } } } }`,
      {},
      { as: { role: 'patient', patient: fixture.patient } },
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.patient.disclosures.edges.map((e) => e.node);
    expect(nodes).toContainEqual({ role: 'biller', purpose: 'PAYMENT', action: 'patient.access' });
    expect(nodes.every((n) => n.purpose !== 'TREATMENT')).toBe(true);
  });
});

describe('failing closed', () => {
  // As the owner, make the audit insert of one probe request impossible, then ask for PHI in it. The
  // probe is told apart by its client name, which every chain records (its request id is the gateway's).
  async function blockAuditOf(client: string, chain?: string): Promise<() => Promise<void>> {
    const condition = chain ? sql`chain <> ${sql.lit(chain)} or client <> ${sql.lit(client)}` : sql`client <> ${sql.lit(client)}`;
    await sql`alter table audit.event add constraint block_probe check (${condition}) not valid`.execute(platform.owner.db);
    return async () => {
      await sql`alter table audit.event drop constraint block_probe`.execute(platform.owner.db);
    };
  }

  test('when no audit record can be written, no data comes back', async () => {
    const unblock = await blockAuditOf('fail-closed-all');
    try {
      const res = await platform.query(PATIENT_QUERY(fixture.patient), {}, { headers: { 'x-client-name': 'fail-closed-all' } });
      expect(res.status).toBe(500);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toEqual([{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      expect(JSON.stringify(res)).not.toContain(fixture.family);
    } finally {
      await unblock();
    }
  });

  // PGlite has one connection and no timeouts: a lock held on it would stall everything.
  test.skipIf(!SERVER_URL)(
    'an append that waits on a locked trail is refused after its timeout: the request fails, the next is recorded',
    async () => {
      expect(AUDIT_SESSION_SETTINGS['lock_timeout']).toBe('5s');
      // The analyst's request the gateway alone records (no patient data, so no subgraph record).
      const probe = '{ revenueCycle { __typename } }';
      const as = { role: 'analyst' } as const;
      // As the owner, on one connection: a transaction that holds a lock every insert into the trail waits for.
      const release = await holdLock(platform.owner.db, sql`lock table audit.event in share mode`);
      const started = performance.now();
      let res: Awaited<ReturnType<TestPlatform['query']>>;
      try {
        res = await platform.query(probe, {}, { as, headers: { 'x-request-id': 'audit-timeout-probe' } });
      } finally {
        await release();
      }
      const waitedMs = performance.now() - started;
      expect(res.status).toBe(500);
      expect(res.data ?? null).toBeNull();
      expect(res.errors).toEqual([{ message: 'Unexpected error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      // Refused by the 5 s lock timeout, not by anything sooner, and not left hanging.
      expect(waitedMs).toBeGreaterThanOrEqual(4900);
      expect(waitedMs).toBeLessThan(15_000);
      expect(platform.logs.some((l) => l['event'] === 'audit.write_failed' && l['requestId'] === res.headers.get('x-request-id'))).toBe(
        true,
      );

      // The chain's queue moved on: the next request is answered and recorded, the refused one is not.
      const next = await platform.query<{ revenueCycle: { __typename: string } }>(
        probe,
        {},
        { as, headers: { 'x-request-id': 'audit-timeout-next' } },
      );
      expect(next.errors).toBeUndefined();
      expect(next.data?.revenueCycle.__typename).toBe('RevenueCycle');
      expect(await eventsOf('audit-timeout-probe')).toEqual([]);
      expect((await eventsOf('audit-timeout-next')).map((e) => [e.chain, e.action, e.outcome])).toEqual([
        ['gateway', 'graphql.request', 'success'],
      ]);
      expect(await verifyAuditChains(platform.owner.db)).toMatchObject({ ok: true });
    },
  );

  test('when only the PMS cannot record, its data is withheld and nothing of it leaks', async () => {
    const unblock = await blockAuditOf('fail-closed-pms', 'pms');
    try {
      const res = await platform.query(PATIENT_QUERY(fixture.patient), {}, { headers: { 'x-client-name': 'fail-closed-pms' } });
      const text = JSON.stringify(res);
      expect(text).not.toContain(fixture.family);
      expect(text).not.toContain(fixture.mrn);
      expect(res.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await unblock();
    }
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../connection.js';
import { migrateAll } from '../migrator.js';
import type { AuditChain, AuditDatabase } from '../tables/audit.tables.js';
import { appendAudit, auditEventHash, contentHash, type AuditRecord } from './audit-chain.js';
import { clearAuditTrail } from './audit-tampering.js';
import { verifyAuditChains } from './audit-verify.js';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';

let database: TestDatabase;
let owner: Database<AuditDatabase>;

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'audit-chain-test' });
  await migrateAll(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

beforeEach(async () => {
  await clearAuditTrail(owner.db);
});

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return { action: 'graphql.request', requestId: randomUUID(), actorId: 'user-1', role: 'clinician', outcome: 'success', ...overrides };
}

async function rowsOf(chain: AuditChain) {
  return owner.db.selectFrom('audit.event').selectAll().where('chain', '=', chain).orderBy('seq').execute();
}

describe('contentHash', () => {
  test('hashes equal data equally whatever the order of object keys', () => {
    expect(contentHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(contentHash({ b: { d: 'x', c: [1, 2] }, a: 1 }));
  });

  test('is the sha256 hex of the canonical JSON: sorted keys, no whitespace', () => {
    const expected = createHash('sha256').update('{"a":[true,null],"b":1,"c":"é"}').digest('hex');
    expect(contentHash({ c: 'é', b: 1, a: [true, null] })).toBe(expected);
  });

  test('hashes a Date as its ISO string, leaves undefined members out, and hashes undefined as null', () => {
    expect(contentHash({ at: new Date(0), gone: undefined })).toBe(contentHash({ at: '1970-01-01T00:00:00.000Z' }));
    expect(contentHash(undefined)).toBe(contentHash(null));
  });

  test.each([
    ['a number and its string', { a: 1 }, { a: '1' }],
    ['two array orders', [1, 2], [2, 1]],
    ['null and a missing member', { a: null }, {}],
  ])('tells apart %s', (_what, left, right) => {
    expect(contentHash(left)).not.toBe(contentHash(right));
  });
});

describe('appendAudit', () => {
  test('sends no SQL for an empty batch', async () => {
    const { statements } = await owner.statements.measure(() => appendAudit(owner.db, 'pms', []));
    expect(statements).toBe(0);
  });

  test("numbers a chain's rows from 1 and links each to the hash of the row before", async () => {
    await appendAudit(owner.db, 'pms', [record(), record(), record()]);
    await appendAudit(owner.db, 'pms', [record(), record()]);

    const rows = await rowsOf('pms');
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prev_hash).toBeNull();
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    for (const row of rows) expect(row.hash).toBe(auditEventHash(row));
    // One time per batch, taken under the chain's lock.
    expect(rows[1]!.at).toEqual(rows[0]!.at);
    expect(rows[3]!.at.getTime()).toBeGreaterThanOrEqual(rows[2]!.at.getTime());
  });

  test('writes a batch with one insert: in one statement after a head it wrote itself, else after reading the newest row', async () => {
    const append = (db: typeof owner) => db.statements.measure(() => appendAudit(db.db, 'pms', [record(), record(), record()]));
    // The trail was cleared since this appender last wrote: its head is gone, which its one-statement
    // attempt finds (writing nothing); it reads the newest row (none) and appends as the chain's first.
    expect((await append(owner)).statements).toBe(1 + 2);
    expect((await append(owner)).statements).toBe(1);
    expect((await append(owner)).statements).toBe(1);
    // Another appender (a replica of the same service) has no head of its own: it reads the newest
    // row and appends after it.
    const other = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'audit-chain-test-other' });
    try {
      expect((await append(other)).statements).toBe(2);
    } finally {
      await other.close();
    }
    // The first appender's next attempt is refused by the unique (chain, seq): it reads the other's row and links to it.
    expect((await append(owner)).statements).toBe(1 + 2);
    expect((await append(owner)).statements).toBe(1);
    // In a caller's transaction: begin, lock, read the newest row, insert, commit.
    const inCallers = await owner.statements.measure(() =>
      owner.db.transaction().execute((trx) => appendAudit(trx, 'pms', [record(), record()])),
    );
    expect(inCallers.statements).toBe(5);
    // ...and the one after it, not knowing that row was committed, reads it and tries again.
    expect((await append(owner)).statements).toBe(1 + 2);
    const rows = await rowsOf('pms');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.at.getTime()).toBeGreaterThanOrEqual(rows[i - 1]!.at.getTime());
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 0, pms: 23, ehr: 0 } });
  });

  test('keeps each chain numbered on its own', async () => {
    await appendAudit(owner.db, 'pms', [record(), record()]);
    await appendAudit(owner.db, 'ehr', [record({ action: 'note.update' })]);
    expect((await rowsOf('ehr')).map((r) => [r.seq, r.prev_hash])).toEqual([[1, null]]);
    expect((await rowsOf('pms')).map((r) => r.seq)).toEqual([1, 2]);
  });

  test('stores exactly what it hashed, every optional field included', async () => {
    const patientId = randomUUID();
    await appendAudit(owner.db, 'ehr', [
      record({
        action: 'note.update',
        client: 'front-desk-web',
        operationName: 'UpdateNote',
        operationHash: 'a'.repeat(64),
        purpose: 'treatment',
        latencyMs: 12.6,
        sourceAddress: '10.0.0.7',
        patientId: patientId.toUpperCase(),
        dataClasses: ['notes', 'demographics'],
        breakGlass: true,
        breakGlassReason: 'unconscious patient in the emergency room',
        entityType: 'ClinicalNote',
        entityId: randomUUID(),
        beforeHash: contentHash({ version: 1 }),
        afterHash: contentHash({ version: 2 }),
        // A lone surrogate (possible in a client's JSON) is stored as U+FFFD, and hashed so.
        requestId: 'req-\ud800',
      }),
    ]);

    const [row] = await rowsOf('ehr');
    expect(row).toMatchObject({
      patient_id: patientId,
      latency_ms: 13,
      data_classes: ['notes', 'demographics'],
      break_glass: true,
      request_id: 'req-\ufffd',
    });
    expect(row!.hash).toBe(auditEventHash(row!));
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 0, pms: 0, ehr: 1 } });
  });

  test('hashes a row without a correlation id exactly as before the column existed', async () => {
    await appendAudit(owner.db, 'gateway', [record({ requestId: 'r-1', outcome: 'invalid' })]);
    const [row] = await rowsOf('gateway');
    expect(row!.correlation_id).toBeNull();
    // The formula of the rows written before: the 23 columns, nothing appended.
    const before = [
      row!.chain,
      row!.seq,
      row!.at.toISOString(),
      row!.request_id,
      row!.actor_id,
      row!.role,
      row!.client,
      row!.action,
      row!.operation_name,
      row!.operation_hash,
      row!.purpose,
      row!.outcome,
      row!.latency_ms,
      row!.source_address,
      row!.patient_id,
      row!.data_classes,
      row!.break_glass,
      row!.break_glass_reason,
      row!.entity_type,
      row!.entity_id,
      row!.before_hash,
      row!.after_hash,
      row!.prev_hash,
    ];
    expect(row!.hash).toBe(createHash('sha256').update(JSON.stringify(before), 'utf8').digest('hex'));
    // As read from a database whose migrations predate the column.
    const { correlation_id: absent, ...older } = row!;
    expect(absent).toBeNull();
    expect(auditEventHash(older)).toBe(row!.hash);
  });

  test('stores a correlation id and covers it by the hash', async () => {
    await appendAudit(owner.db, 'gateway', [record({ requestId: 'r-1', correlationId: 'client-42' }), record({ requestId: 'r-2' })]);
    const rows = await rowsOf('gateway');
    expect(rows.map((r) => [r.request_id, r.correlation_id])).toEqual([
      ['r-1', 'client-42'],
      ['r-2', null],
    ]);
    for (const row of rows) expect(row.hash).toBe(auditEventHash(row));
    expect(auditEventHash({ ...rows[0]!, correlation_id: null })).not.toBe(rows[0]!.hash);
    expect(auditEventHash({ ...rows[0]!, correlation_id: 'client-43' })).not.toBe(rows[0]!.hash);
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 2, pms: 0, ehr: 0 } });
  });

  test.each(['invalid', 'conflict', 'not_found'] as const)('records the outcome %s', async (outcome) => {
    await appendAudit(owner.db, 'gateway', [record({ outcome })]);
    expect((await rowsOf('gateway')).map((r) => r.outcome)).toEqual([outcome]);
  });

  test('fills absent optional fields with the column defaults', async () => {
    await appendAudit(owner.db, 'gateway', [record({ outcome: 'unauthenticated' })]);
    const [row] = await rowsOf('gateway');
    expect(row).toMatchObject({
      client: null,
      latency_ms: null,
      patient_id: null,
      data_classes: [],
      break_glass: false,
      correlation_id: null,
      prev_hash: null,
    });
  });

  test("writes inside the caller's transaction and rolls back with it", async () => {
    await appendAudit(owner.db, 'pms', [record()]);
    const failure = new Error('the change being audited failed');
    await expect(
      owner.db.transaction().execute(async (trx) => {
        await appendAudit(trx, 'pms', [record({ action: 'patient.update' })]);
        throw failure;
      }),
    ).rejects.toBe(failure);
    await owner.db.transaction().execute((trx) => appendAudit(trx, 'pms', [record({ action: 'patient.update' })]));

    expect((await rowsOf('pms')).map((r) => [r.seq, r.action])).toEqual([
      [1, 'graphql.request'],
      [2, 'patient.update'],
    ]);
  });

  test('throws and writes none of a batch that cannot be stored, so callers can fail closed', async () => {
    await expect(appendAudit(owner.db, 'pms', [record(), record({ patientId: 'not-a-uuid' })])).rejects.toThrow(/uuid/);
    await expect(appendAudit(owner.db, 'pms', [record({ latencyMs: Number.NaN })])).rejects.toThrow(RangeError);
    expect(await rowsOf('pms')).toEqual([]);
  });

  test('gives 20 concurrent appends one gapless, verifiable chain, in turn: one statement each after the first', async () => {
    const appender = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'audit-chain-test-concurrent' });
    try {
      const batches = Array.from({ length: 20 }, (_, i) => Array.from({ length: (i % 3) + 1 }, () => record({ actorId: `user-${i}` })));
      const { statements } = await appender.statements.measure(() =>
        Promise.all(batches.map((batch) => appendAudit(appender.db, 'gateway', batch))),
      );
      // The first reads the (empty) chain and appends; each of the others links to the one before it.
      expect(statements).toBe(2 + 19);
      const total = batches.reduce((sum, batch) => sum + batch.length, 0);
      const rows = await rowsOf('gateway');
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // Each batch landed as one consecutive run, in the order the appends were called.
      const runs = rows.map((r) => r.actor_id).filter((actor, i, all) => i === 0 || all[i - 1] !== actor);
      expect(runs).toEqual(batches.map((_, i) => `user-${i}`));
      expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: total, pms: 0, ehr: 0 } });
    } finally {
      await appender.close();
    }
  });

  test('gives three appenders racing on one chain (replicas) one gapless, verifiable chain', async () => {
    const replicas = [1, 2, 3].map((n) =>
      createDatabase<AuditDatabase>({ target: database.target, applicationName: `audit-chain-test-replica-${n}` }),
    );
    try {
      await Promise.all(
        replicas.flatMap((replica, r) =>
          Array.from({ length: 15 }, (_, i) =>
            appendAudit(replica.db, 'pms', [record({ actorId: `replica-${r}-${i}` }), record({ actorId: `replica-${r}-${i}` })]),
          ),
        ),
      );
      const rows = await rowsOf('pms');
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      // Each batch of two landed together.
      const runs = rows.map((r) => r.actor_id).filter((actor, i, all) => i === 0 || all[i - 1] !== actor);
      expect(runs).toHaveLength(45);
      expect(new Set(runs).size).toBe(45);
      expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 0, pms: 90, ehr: 0 } });
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  test('a failed append does not hold up the appends queued after it', async () => {
    const results = await Promise.allSettled([
      appendAudit(owner.db, 'ehr', [record()]),
      appendAudit(owner.db, 'ehr', [record({ patientId: 'not-a-uuid' })]),
      appendAudit(owner.db, 'ehr', [record()]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await rowsOf('ehr')).map((r) => r.seq)).toEqual([1, 2]);
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 0, pms: 0, ehr: 2 } });
  });
});

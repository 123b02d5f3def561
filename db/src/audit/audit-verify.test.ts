import { randomUUID } from 'node:crypto';
import { Migrator, sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../connection.js';
import { auditMigrations } from '../migrations/audit/index.js';
import { migrateAll, migrateSchema } from '../migrator.js';
import { DATABASE_ROLES } from '../roles.js';
import type { AuditDatabase } from '../tables/audit.tables.js';
import { appendAudit, auditEventHash, type AuditRecord } from './audit-chain.js';
import { asTamperer, clearAuditTrail } from './audit-tampering.js';
import { auditChainLengths, verifyAuditChains } from './audit-verify.js';
import { SERVER_URL, freshDatabase, type TestDatabase } from '../testing/test-database.js';

let database: TestDatabase;
let owner: Database<AuditDatabase>;

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<AuditDatabase>({ target: database.target, applicationName: 'audit-verify-test' });
  await migrateAll(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return { action: 'patient.access', requestId: randomUUID(), actorId: 'user-1', role: 'clinician', outcome: 'success', ...overrides };
}

/** Six pms rows in two batches, two gateway rows (one with the caller's correlation id), no ehr row. */
async function appendSample(): Promise<void> {
  await appendAudit(owner.db, 'gateway', [
    record({ action: 'graphql.request', correlationId: 'client-1' }),
    record({ action: 'graphql.request' }),
  ]);
  await appendAudit(owner.db, 'pms', [record({ patientId: randomUUID(), dataClasses: ['demographics'] }), record(), record()]);
  await appendAudit(owner.db, 'pms', [record(), record({ outcome: 'denied' }), record()]);
}

async function idOf(seq: number): Promise<string> {
  const row = await owner.db
    .selectFrom('audit.event')
    .select('id')
    .where('chain', '=', 'pms')
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('verifyAuditChains', () => {
  beforeEach(async () => {
    await clearAuditTrail(owner.db);
    await appendSample();
  });

  test('reports every chain intact with its row count, empty chains included', async () => {
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 2, pms: 6, ehr: 0 } });
    expect(await auditChainLengths(owner.db)).toEqual({ gateway: 2, pms: 6, ehr: 0 });
  });

  test('reports the rows checked so far, over all chains', async () => {
    const progress: number[] = [];
    await verifyAuditChains(owner.db, (checked) => progress.push(checked));
    expect(progress).toEqual([2, 8, 8]);
  });

  test('verifies an empty trail', async () => {
    await clearAuditTrail(owner.db);
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 0, pms: 0, ehr: 0 } });
  });

  test.each([
    ['the actor', sql`actor_id = 'someone-else'`],
    ['the outcome', sql`outcome = 'denied'`],
    ['the time, by a second', sql`at = at + interval '1 second'`],
    ['the patient', sql`patient_id = gen_random_uuid()`],
    ['the data classes', sql`data_classes = '{notes}'`],
    ['break-glass', sql`break_glass = true`],
    ['a null field', sql`client = 'scraper'`],
    ['the correlation id, set where there was none', sql`correlation_id = 'someone-elses-request'`],
    ['the link to the row before', sql`prev_hash = hash`],
  ] as const)('finds an edit of %s at that row: hash mismatch', async (_what, assignment: RawBuilder<unknown>) => {
    const id = await idOf(3);
    await asTamperer(owner.db, async (trx) => {
      await sql`update audit.event set ${assignment} where chain = 'pms' and seq = 3`.execute(trx);
    });
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: false, chain: 'pms', seq: 3, id, reason: 'hash mismatch (row edited)' });
  });

  test.each([
    ['taken off', sql`correlation_id = null`],
    ['changed', sql`correlation_id = 'client-2'`],
  ] as const)('finds a correlation id %s: hash mismatch', async (_what, assignment: RawBuilder<unknown>) => {
    const { id } = await owner.db
      .selectFrom('audit.event')
      .select('id')
      .where('chain', '=', 'gateway')
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    await asTamperer(owner.db, async (trx) => {
      await sql`update audit.event set ${assignment} where chain = 'gateway' and seq = 1`.execute(trx);
    });
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: false, chain: 'gateway', seq: 1, id, reason: 'hash mismatch (row edited)' });
  });

  test('finds a deleted middle row by the gap it leaves', async () => {
    await asTamperer(owner.db, async (trx) => {
      await trx.deleteFrom('audit.event').where('chain', '=', 'pms').where('seq', '=', 4).execute();
    });
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: false, chain: 'pms', seq: 4, id: null, reason: 'seq 4 missing (row deleted)' });
  });

  test('finds a deleted first row', async () => {
    await asTamperer(owner.db, async (trx) => {
      await trx.deleteFrom('audit.event').where('chain', '=', 'gateway').where('seq', '=', 1).execute();
    });
    expect(await verifyAuditChains(owner.db)).toEqual({
      ok: false,
      chain: 'gateway',
      seq: 1,
      id: null,
      reason: 'seq 1 missing (row deleted)',
    });
  });

  test('finds a forged row whose own hash is right but whose prev_hash is not', async () => {
    const rows = await owner.db.selectFrom('audit.event').selectAll().where('chain', '=', 'pms').orderBy('seq').execute();
    // A copy of the last row, appended after it but linked to the row before it.
    const forged = { ...rows[5]!, id: randomUUID(), seq: 7, actor_id: 'intruder', prev_hash: rows[4]!.hash };
    await owner.db
      .insertInto('audit.event')
      .values({ ...forged, hash: auditEventHash(forged) })
      .execute();

    expect(await verifyAuditChains(owner.db)).toEqual({
      ok: false,
      chain: 'pms',
      seq: 7,
      id: forged.id,
      reason: 'prev_hash does not match seq 6 (row inserted out of order)',
    });
  });

  test('finds a row rewritten with a recomputed hash at the link after it', async () => {
    const [row] = await owner.db.selectFrom('audit.event').selectAll().where('chain', '=', 'pms').where('seq', '=', 3).execute();
    const rewritten = { ...row!, actor_id: 'someone-else' };
    await asTamperer(owner.db, async (trx) => {
      await sql`update audit.event set actor_id = ${rewritten.actor_id}, hash = ${auditEventHash(rewritten)} where id = ${row!.id}`.execute(
        trx,
      );
    });
    expect(await verifyAuditChains(owner.db)).toEqual({
      ok: false,
      chain: 'pms',
      seq: 4,
      id: await idOf(4),
      reason: 'prev_hash does not match seq 3 (row inserted out of order)',
    });
  });

  test('names the first broken link when there are several', async () => {
    const id = await idOf(2);
    await asTamperer(owner.db, async (trx) => {
      await sql`update audit.event set purpose = 'curiosity' where chain = 'pms' and seq in (2, 5)`.execute(trx);
      await sql`delete from audit.event where chain = 'pms' and seq = 4`.execute(trx);
    });
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: false, chain: 'pms', seq: 2, id, reason: 'hash mismatch (row edited)' });
  });
});

describe('rows written before the correlation id existed', () => {
  let older: TestDatabase;
  let olderOwner: Database<AuditDatabase>;

  beforeAll(async () => {
    older = await freshDatabase();
    olderOwner = createDatabase<AuditDatabase>({ target: older.target, applicationName: 'audit-upgrade-test' });
    await migrateSchema(olderOwner.db, 'pms');
    await migrateSchema(olderOwner.db, 'ehr');
    // The audit schema as it was before the column: its first three migrations.
    const before = Object.fromEntries(Object.entries(auditMigrations).filter(([name]) => name < '2026-12-08T02-00'));
    expect(Object.keys(before)).toHaveLength(3);
    const migrator = new Migrator({
      db: olderOwner.db as unknown as Kysely<unknown>,
      provider: { getMigrations: async () => before },
      migrationTableSchema: 'audit',
      migrationTableName: 'kysely_migration',
      migrationLockTableName: 'kysely_migration_lock',
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });

  afterAll(async () => {
    await olderOwner?.close();
    await older?.drop();
  });

  test('still verify once the column is added, and beside rows that have one', async () => {
    // Rows as the appender wrote them then: no correlation_id column to write.
    let prevHash: string | null = null;
    for (const seq of [1, 2]) {
      const columns = {
        chain: 'gateway' as const,
        seq,
        at: new Date(Date.UTC(2026, 11, 1, 0, 0, seq)),
        request_id: `old-${seq}`,
        actor_id: 'user-1',
        role: 'clinician',
        client: null,
        action: 'graphql.request',
        operation_name: null,
        operation_hash: null,
        purpose: null,
        outcome: 'success' as const,
        latency_ms: 3,
        source_address: null,
        patient_id: null,
        data_classes: [],
        break_glass: false,
        break_glass_reason: null,
        entity_type: null,
        entity_id: null,
        before_hash: null,
        after_hash: null,
        prev_hash: prevHash,
      };
      const hash = auditEventHash(columns);
      await olderOwner.db
        .insertInto('audit.event')
        .values({ ...columns, hash })
        .execute();
      prevHash = hash;
    }
    expect(await verifyAuditChains(olderOwner.db)).toEqual({ ok: true, chains: { gateway: 2, pms: 0, ehr: 0 } });

    expect(await migrateAll(olderOwner.db)).toContain('audit/2026-12-08T02-00_request-outcomes');
    await appendAudit(olderOwner.db, 'gateway', [
      record({ action: 'graphql.request', correlationId: 'client-7', outcome: 'denied' }),
      record({ outcome: 'invalid' }),
    ]);
    const rows = await olderOwner.db
      .selectFrom('audit.event')
      .select(['seq', 'correlation_id', 'outcome'])
      .where('chain', '=', 'gateway')
      .orderBy('seq')
      .execute();
    expect(rows).toEqual([
      { seq: 1, correlation_id: null, outcome: 'success' },
      { seq: 2, correlation_id: null, outcome: 'success' },
      { seq: 3, correlation_id: 'client-7', outcome: 'denied' },
      { seq: 4, correlation_id: null, outcome: 'invalid' },
    ]);
    expect(await verifyAuditChains(olderOwner.db)).toEqual({ ok: true, chains: { gateway: 4, pms: 0, ehr: 0 } });
  });

  test('the database refuses an outcome it does not know, and a correlation id over 128 characters', async () => {
    await expect(
      sql`insert into audit.event (chain, seq, request_id, actor_id, role, action, outcome, hash)
      values ('ehr', 1, 'r', 'a', 'r', 'x', 'partly', 'h')`.execute(olderOwner.db),
    ).rejects.toThrow(/event_outcome_check/);
    await expect(
      sql`insert into audit.event (chain, seq, request_id, actor_id, role, action, outcome, correlation_id, hash)
      values ('ehr', 1, 'r', 'a', 'r', 'x', 'success', ${'c'.repeat(129)}, 'h')`.execute(olderOwner.db),
    ).rejects.toThrow(/event_correlation_id_check/);
  });
});

describe('the append-only trigger', () => {
  beforeAll(async () => {
    await clearAuditTrail(owner.db);
    await appendSample();
  });

  test.each([
    ['UPDATE', sql`update audit.event set actor_id = 'someone-else'`],
    ['DELETE', sql`delete from audit.event`],
    ['TRUNCATE', sql`truncate audit.event`],
  ] as const)('refuses %s even to the owner', async (operation, statement) => {
    await expect(statement.execute(owner.db)).rejects.toThrow(`audit.event is append-only: ${operation} refused`);
  });

  test('still refuses in replica mode, which silences ordinary triggers', async () => {
    await expect(
      owner.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from audit.event`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await verifyAuditChains(owner.db)).toMatchObject({ ok: true, chains: { pms: 6 } });
  });
});

describe.skipIf(!SERVER_URL)('audit grants on a real server', () => {
  const roles = [DATABASE_ROLES.pms, DATABASE_ROLES.ehr, DATABASE_ROLES.gateway];
  const connections = new Map<string, Database<AuditDatabase>>();

  beforeAll(async () => {
    await clearAuditTrail(owner.db);
    for (const role of roles)
      connections.set(role, createDatabase<AuditDatabase>({ target: database.target, role, applicationName: 'audit-grants-test' }));
  });

  afterAll(async () => {
    for (const connection of connections.values()) await connection.close();
  });

  test.each([
    [DATABASE_ROLES.pms, 'pms'],
    [DATABASE_ROLES.ehr, 'ehr'],
    [DATABASE_ROLES.gateway, 'gateway'],
  ] as const)('%s appends to its chain and reads it back', async (role, chain) => {
    const { db } = connections.get(role)!;
    await appendAudit(db, chain, [record(), record()]);
    expect(await db.selectFrom('audit.event').select('seq').where('chain', '=', chain).orderBy('seq').execute()).toEqual([
      { seq: 1 },
      { seq: 2 },
    ]);
  });

  test.each(
    roles.flatMap(
      (role) =>
        [
          [role, 'UPDATE', sql`update audit.event set actor_id = 'someone-else'`],
          [role, 'DELETE', sql`delete from audit.event`],
          [role, 'TRUNCATE', sql`truncate audit.event`],
        ] as const,
    ),
  )('%s may not %s audit events', async (role, _operation, statement) => {
    await expect(statement.execute(connections.get(role)!.db)).rejects.toThrow(/permission denied for table event/);
  });

  test('the trail the roles wrote verifies', async () => {
    expect(await verifyAuditChains(owner.db)).toEqual({ ok: true, chains: { gateway: 2, pms: 2, ehr: 2 } });
  });
});

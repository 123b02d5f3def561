import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDatabase, type Database } from '../connection.js';
import { generateFieldKeyring } from '../crypto/field-encryption.js';
import { migrateAll } from '../migrator.js';
import { freshDatabase, type TestDatabase } from '../testing/test-database.js';
import { bulkInsert } from './bulk-insert.js';
import { seedDatabase, type SeedDatabase, type SeedStage } from './seed-database.js';

let database: TestDatabase;
let owner: Database<SeedDatabase>;
const keyring = generateFieldKeyring('seed-database-test');

/** Every index and constraint of the pms and ehr schemas, as the catalog prints them. */
async function schemaShape(): Promise<string[]> {
  const { rows } = await sql<{ def: string }>`
    select indexdef as def from pg_indexes where schemaname in ('pms', 'ehr')
    union all
    select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
     where connamespace in ('pms'::regnamespace, 'ehr'::regnamespace)`.execute(owner.db);
  return rows.map((r) => r.def).sort();
}

async function patients(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pms.patient`.execute(owner.db);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  database = await freshDatabase();
  owner = createDatabase<SeedDatabase>({ target: database.target, applicationName: 'seed-database-test' });
  await migrateAll(owner.db);
});

afterAll(async () => {
  await owner?.close();
  await database?.drop();
});

describe('seeding the database', () => {
  test('leaves nothing behind, indexes and constraints included, when a stage fails half-way', async () => {
    const before = await schemaShape();
    let batches = 0;
    const failing: SeedStage = {
      start: async () => {},
      rows: () => {
        batches += 1;
        if (batches === 3) throw new Error('stage failed');
        return [];
      },
      finish: () => [],
    };
    await expect(seedDatabase(owner.db, { patients: 40, seed: 3, batchSize: 10, keyring }, () => {}, failing)).rejects.toThrow(
      'stage failed',
    );
    expect(await patients()).toBe(0);
    expect(await schemaShape()).toEqual(before);
  });

  test('rebuilds every index and constraint it set aside for the load exactly as they were, and checks the rows against them', async () => {
    const before = await schemaShape();
    const summary = await seedDatabase(owner.db, { patients: 30, seed: 3, keyring });
    expect(await patients()).toBe(summary.patients);
    expect(await schemaShape()).toEqual(before);
    // A row that breaks a foreign key fails the rebuild, so the seed, like any insert would.
    const orphan: SeedStage = {
      start: async () => {},
      rows: (batch) => [
        {
          table: 'pms.encounter',
          rows: [
            {
              patient_id: '00000000-0000-4000-8000-000000000000',
              provider_id: batch.encounters[0]?.provider_id ?? '',
              service_date: '2026-01-05',
              status: 'finished',
            },
          ],
        },
      ],
      finish: () => [],
    };
    await expect(seedDatabase(owner.db, { patients: 5, seed: 4, keyring, reset: true }, () => {}, orphan)).rejects.toThrow(/foreign key/);
    expect(await patients()).toBe(summary.patients);
    expect(await schemaShape()).toEqual(before);
  });

  test('bulk inserts texts, arrays, JSON, dates and nulls as an INSERT would write them', async () => {
    const id = '00000000-0000-4000-8000-00000000000a';
    const tricky = `O'Brien "quoted" \\ back\\slash, {braces} ünïcode`;
    const json = JSON.stringify({ text: tricky, list: [1, 'two', null], nested: { ok: true } });
    await owner.db.transaction().execute(async (trx) => {
      await bulkInsert(trx, [
        {
          table: 'ehr.outbox',
          rows: [
            {
              event_type: tricky,
              aggregate_id: id,
              payload: json,
              next_attempt_at: new Date('2026-03-04T05:06:07.089Z'),
              last_error: null,
            },
          ],
          json: ['payload'],
        },
        {
          table: 'ehr.procedure',
          rows: [
            {
              encounter_id: id,
              patient_id: id,
              note_id: null,
              code: '99213',
              code_system: 'cpt',
              display: tricky,
              units: 2,
              modifiers: ['a"b', 'c,d', 'e\\f', '{g}'],
              performer_id: id,
              recorded_by: 'seed',
              created_at: '2026-03-04T05:06:07Z',
            },
          ],
        },
      ]);
      const outbox = await trx.selectFrom('ehr.outbox').selectAll().where('aggregate_id', '=', id).executeTakeFirstOrThrow();
      expect(outbox).toMatchObject({
        event_type: tricky,
        payload: JSON.parse(json),
        last_error: null,
        next_attempt_at: new Date('2026-03-04T05:06:07.089Z'),
        attempts: 0,
      });
      const procedure = await trx.selectFrom('ehr.procedure').selectAll().where('encounter_id', '=', id).executeTakeFirstOrThrow();
      expect(procedure).toMatchObject({
        display: tricky,
        units: 2,
        modifiers: ['a"b', 'c,d', 'e\\f', '{g}'],
        note_id: null,
        created_at: new Date('2026-03-04T05:06:07Z'),
      });
      await sql`delete from ehr.procedure where encounter_id = ${id}`.execute(trx);
      await sql`delete from ehr.outbox where aggregate_id = ${id}`.execute(trx);
    });
  });
});

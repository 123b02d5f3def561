import { sql, type Kysely } from 'kysely';
import type { EhrDatabase } from '../tables/ehr.tables.js';
import type { PmsDatabase } from '../tables/pms.tables.js';
import { SyntheticPractice, type SyntheticDataOptions } from './synthetic-data.js';

export type SeedDatabase = PmsDatabase & EhrDatabase;

export interface SeedSummary {
  readonly providers: number;
  readonly patients: number;
  readonly encounters: number;
  readonly allergies: number;
  readonly notes: number;
}

export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

/** The tables the seed fills, children first so a reset never trips a foreign key. */
const SEEDED_TABLES = ['ehr.clinical_note', 'ehr.allergy', 'pms.encounter', 'pms.patient', 'pms.provider'] as const;

/** True when no patient is registered yet. */
export async function isEmpty(db: Kysely<SeedDatabase>): Promise<boolean> {
  const row = await db.selectFrom('pms.patient').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/**
 * Writes a synthetic practice across both domains in one transaction: on any failure nothing is
 * left half-written. Refuses a database that already holds patients unless `reset` is set, in which
 * case the seeded tables are emptied first (inside the same transaction).
 *
 * Connect as the database owner: the seed writes to the pms and ehr schemas alike.
 */
export async function seedDatabase(
  db: Kysely<SeedDatabase>,
  options: SyntheticDataOptions & { readonly reset?: boolean },
  onProgress: (patientsDone: number) => void = () => {},
): Promise<SeedSummary> {
  const practice = new SyntheticPractice(options);
  return db.transaction().execute(async (trx) => {
    if (options.reset) {
      await sql`truncate ${sql.join(SEEDED_TABLES.map((t) => sql.table(t)))}`.execute(trx);
    } else if (!(await isEmpty(trx))) {
      throw new SeedRefusedError('The database already holds patients; pass --reset to replace them');
    }
    const summary = { providers: practice.providers.length, patients: 0, encounters: 0, allergies: 0, notes: 0 };
    await trx.insertInto('pms.provider').values(practice.providers).execute();
    for (const batch of practice.batches()) {
      await trx.insertInto('pms.patient').values(batch.patients).execute();
      if (batch.encounters.length) await trx.insertInto('pms.encounter').values(batch.encounters).execute();
      if (batch.allergies.length) await trx.insertInto('ehr.allergy').values(batch.allergies).execute();
      if (batch.notes.length) await trx.insertInto('ehr.clinical_note').values(batch.notes).execute();
      summary.patients += batch.patients.length;
      summary.encounters += batch.encounters.length;
      summary.allergies += batch.allergies.length;
      summary.notes += batch.notes.length;
      onProgress(summary.patients);
    }
    return summary;
  });
}

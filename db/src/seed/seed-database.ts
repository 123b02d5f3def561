import { sql, type Kysely, type Transaction } from 'kysely';
import { patientSsnAad, sealedKeyId, type FieldKeyring } from '../crypto/field-encryption.js';
import { deferReportTables, refreshReportTables } from '../report-tables.js';
import type { EhrDatabase } from '../tables/ehr.tables.js';
import type { NewPatient, PmsDatabase } from '../tables/pms.tables.js';
import { bulkInsert, bulkStatements, columnTypes, executeAll, type BulkRows } from './bulk-insert.js';
import { SEED_PARTNERS, SyntheticPractice, type SyntheticBatch, type SyntheticDataOptions } from './synthetic-data.js';

export type SeedDatabase = PmsDatabase & EhrDatabase;

export interface SeedSummary {
  readonly providers: number;
  readonly patients: number;
  readonly encounters: number;
  readonly allergies: number;
  readonly notes: number;
  /** Patients registered with an SSN (sealed, never written in clear). */
  readonly ssns: number;
  readonly consents: number;
  readonly payers: number;
  readonly coverages: number;
  readonly locations: number;
  readonly rooms: number;
  readonly availability: number;
}

export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

/**
 * A further part of the seed that grows with the patients (the PMS's revenue cycle), inside the
 * seed's transaction. Each batch's rows are planned while the previous batch is being written, so
 * generating and writing overlap: planning must not touch the database.
 */
export interface SeedStage {
  /** Reads what the stage needs, once, after the practice's fixed rows are written. */
  start(trx: Transaction<SeedDatabase>, practice: SyntheticPractice): Promise<void>;
  /** The rows that hang off one batch of patients, parents before children; batches come in order, each once. */
  rows(batch: SyntheticBatch): Array<BulkRows<SeedDatabase>>;
  /** The rows left once every batch is planned, written last. */
  finish(): Array<BulkRows<SeedDatabase>>;
}

/**
 * Every table the seed (and its stages) fills, and every table holding rows about seeded patients,
 * encounters or claims, children first: `--reset` empties them all in one statement, so a reset
 * never trips a foreign key and never leaves rows about patients that are gone. The reference code
 * sets, the fee schedule and the audit trail are kept.
 */
export const SEEDED_TABLES = [
  'pms.claim_appeal',
  'pms.patient_payment',
  'pms.remittance_adjustment',
  'pms.remittance_line',
  'pms.remittance',
  'pms.event_inbox',
  'pms.claim_diagnosis',
  'pms.claim_line',
  'pms.claim',
  'ehr.procedure_diagnosis',
  'ehr.procedure',
  'ehr.diagnosis',
  'ehr.note_addendum',
  'ehr.outbox',
  'ehr.clinical_note',
  'ehr.lab_result',
  'ehr.lab_order',
  'ehr.vital_signs',
  'ehr.immunization',
  'ehr.prescription',
  'ehr.problem',
  'ehr.allergy_status',
  'ehr.allergy',
  'pms.eligibility_check',
  'pms.coverage',
  'pms.payer',
  'pms.appointment',
  'pms.availability',
  'pms.room',
  'pms.location',
  'pms.consent',
  'pms.encounter',
  'pms.patient',
  'pms.provider',
  'pms.partner',
] as const;

/**
 * Drops the seeded tables' indexes and constraints (but checks and not-nulls) and returns what
 * recreates them, every one as it was (`pg_get_indexdef`, `pg_get_constraintdef`): the seed builds
 * them once after the load, by sorting, as pg_restore does, instead of maintaining them row by row,
 * several times faster. Recreating validates every row, so a duplicate key or a broken reference
 * fails the seed's transaction as an insert would have. A key another table's foreign key needs
 * stays. Inside the seed's transaction, a failure restores them all.
 */
async function deferIndexes(trx: Transaction<SeedDatabase>): Promise<() => Promise<void>> {
  const tables = sql`array[${sql.join(SEEDED_TABLES.map((t) => sql.lit(t)))}]::regclass[]`;
  // Foreign keys, then exclusion constraints, then primary keys and unique constraints: each drop
  // comes after whatever depends on it, each re-creation (in the reverse order) before.
  const { rows: constraints } = await sql<{ drop: string; add: string }>`
    select format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) as drop,
           format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) as add
      from pg_constraint c
     where c.conrelid = any(${tables}) and c.contype in ('f', 'x', 'p', 'u')
       and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.conindid = c.conindid and c.contype in ('p', 'u') and f.conrelid <> all(${tables}))
     order by case c.contype when 'f' then 0 when 'x' then 1 else 2 end, c.conrelid::regclass::text, c.conname`.execute(trx);
  const { rows: indexes } = await sql<{ drop: string; add: string }>`
    select format('drop index %s', i.indexrelid::regclass) as drop, pg_get_indexdef(i.indexrelid) as add
      from pg_index i
     where i.indrelid = any(${tables}) and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
     order by i.indexrelid::regclass::text`.execute(trx);
  for (const { drop } of [...constraints, ...indexes]) await sql.raw(drop).execute(trx);
  return async () => {
    await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
    for (const { add } of [...indexes, ...[...constraints].reverse()]) await sql.raw(add).execute(trx);
  };
}

/** True when no patient is registered yet. */
export async function isEmpty(db: Kysely<SeedDatabase>): Promise<boolean> {
  const row = await db.selectFrom('pms.patient').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** A batch's patient rows, each SSN sealed under the keyring's active key and bound to its row. */
function sealedPatients(batch: SyntheticBatch, keyring: FieldKeyring): NewPatient[] {
  const ssnOf = new Map(batch.ssns.map(({ patientId, ssn }) => [patientId, ssn]));
  return batch.patients.map((patient) => {
    const ssn = ssnOf.get(patient.id);
    if (ssn === undefined) return patient;
    const sealed = keyring.encrypt(ssn, patientSsnAad(patient.id));
    return { ...patient, ssn_ciphertext: sealed, ssn_key_id: sealedKeyId(sealed) };
  });
}

/** A batch's own rows, parents before children. */
function batchRows(batch: SyntheticBatch, keyring: FieldKeyring): Array<BulkRows<SeedDatabase>> {
  return [
    { table: 'pms.patient', rows: sealedPatients(batch, keyring) },
    { table: 'pms.encounter', rows: batch.encounters },
    { table: 'ehr.allergy', rows: batch.allergies },
    { table: 'ehr.clinical_note', rows: batch.notes },
    { table: 'pms.consent', rows: batch.consents },
    { table: 'pms.coverage', rows: batch.coverages },
  ];
}

/**
 * Writes a synthetic practice across both domains in one transaction: on any failure nothing is
 * left half-written. Refuses a database that already holds patients unless `reset` is set, in which
 * case the {@link SEEDED_TABLES} are emptied first (inside the same transaction).
 *
 * Patients' SSNs are sealed with `keyring`, which must be (or be opened by) the PMS subgraph's. The
 * rows are the same for the same seed except the ciphertexts, whose IVs are random, and the
 * creation times the database stamps.
 *
 * A `stage` adds the rows that hang off each batch (see {@link SeedStage}). `onProgress` is told how
 * many patients are written, stage rows included, after each batch. The seeded tables' indexes and
 * constraints are built after the load (see `deferIndexes`), and the reports schema's derived tables
 * computed once from the loaded claims (report-tables.ts): until the seed commits, the tables are
 * locked to everyone else.
 *
 * Connect as the database owner: the seed writes to the pms and ehr schemas alike.
 */
export async function seedDatabase(
  db: Kysely<SeedDatabase>,
  options: SyntheticDataOptions & {
    readonly reset?: boolean;
    readonly keyring: FieldKeyring;
    /** Told the claims done and the total while the report tables are computed after the load. */
    readonly onReportProgress?: (claimsDone: number, claims: number) => void;
  },
  onProgress: (patientsDone: number) => void = () => {},
  stage?: SeedStage,
): Promise<SeedSummary> {
  const { keyring, onReportProgress, ...dataOptions } = options;
  const practice = new SyntheticPractice(dataOptions);
  return db.transaction().execute(async (trx) => {
    await deferReportTables(trx);
    if (options.reset) {
      await sql`truncate ${sql.join(SEEDED_TABLES.map((t) => sql.table(t)))}`.execute(trx);
    } else if (!(await isEmpty(trx))) {
      throw new SeedRefusedError('The database already holds patients; pass --reset to replace them');
    }
    const rebuild = await deferIndexes(trx);
    const { locations, rooms, availability } = practice.schedule;
    const summary = {
      providers: practice.providers.length,
      patients: 0,
      encounters: 0,
      allergies: 0,
      notes: 0,
      ssns: 0,
      consents: 0,
      payers: practice.payers.length,
      coverages: 0,
      locations: locations.length,
      rooms: rooms.length,
      availability: availability.length,
    };
    await bulkInsert(trx, [
      { table: 'pms.provider', rows: practice.providers },
      { table: 'pms.partner', rows: [...SEED_PARTNERS] },
      { table: 'pms.payer', rows: practice.payers },
      { table: 'pms.location', rows: locations },
      { table: 'pms.room', rows: rooms },
      { table: 'pms.availability', rows: availability },
    ]);
    await stage?.start(trx, practice);

    // While the database writes one batch (one round trip), the next is generated: the two overlap.
    // Generating yields to the event loop between its steps, because a statement's text reaches the
    // socket only while the loop runs, and the server cannot start a statement it has not received.
    let writing: Promise<void> = Promise.resolve();
    let written = 0;
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    const types = await columnTypes(trx, SEEDED_TABLES);
    for (const batch of practice.batches()) {
      await pause();
      const own = batchRows(batch, keyring);
      await pause();
      const rows = [...own, ...(stage?.rows(batch) ?? [])];
      await pause();
      const statements = bulkStatements(types, rows);
      await writing;
      if (written > 0) onProgress(written);
      writing = executeAll(trx, statements);
      // Awaited at the next batch or after the loop; marked handled now so a failure surfaces there, once.
      writing.catch(() => undefined);
      written += batch.patients.length;
      summary.patients += batch.patients.length;
      summary.encounters += batch.encounters.length;
      summary.allergies += batch.allergies.length;
      summary.notes += batch.notes.length;
      summary.ssns += batch.ssns.length;
      summary.consents += batch.consents.length;
      summary.coverages += batch.coverages.length;
    }
    await writing;
    if (stage) await executeAll(trx, bulkStatements(types, stage.finish()));
    await rebuild();
    onProgress(written);
    await refreshReportTables(trx, onReportProgress);
    return summary;
  });
}

import { sql, type Kysely } from 'kysely';
import { patientSsnAad, sealedKeyId, type FieldKeyring } from '../crypto/field-encryption.js';
import type { EhrDatabase } from '../tables/ehr.tables.js';
import type { NewPatient, PmsDatabase } from '../tables/pms.tables.js';
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
}

export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

/** The tables the seed fills, children first so a reset never trips a foreign key. */
const SEEDED_TABLES = [
  'ehr.clinical_note', 'ehr.allergy', 'pms.eligibility_check', 'pms.coverage', 'pms.payer', 'pms.appointment', 'pms.availability', 'pms.room', 'pms.location', 'pms.consent', 'pms.encounter', 'pms.patient', 'pms.provider', 'pms.partner',
] as const;

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

/**
 * Writes a synthetic practice across both domains in one transaction: on any failure nothing is
 * left half-written. Refuses a database that already holds patients unless `reset` is set, in which
 * case the seeded tables are emptied first (inside the same transaction).
 *
 * Patients' SSNs are sealed with `keyring`, which must be (or be opened by) the PMS subgraph's. The
 * rows are the same for the same seed except the ciphertexts, whose IVs are random.
 *
 * Connect as the database owner: the seed writes to the pms and ehr schemas alike.
 */
export async function seedDatabase(
  db: Kysely<SeedDatabase>,
  options: SyntheticDataOptions & { readonly reset?: boolean; readonly keyring: FieldKeyring },
  onProgress: (patientsDone: number) => void = () => {},
): Promise<SeedSummary> {
  const { keyring, ...dataOptions } = options;
  const practice = new SyntheticPractice(dataOptions);
  return db.transaction().execute(async (trx) => {
    if (options.reset) {
      await sql`truncate ${sql.join(SEEDED_TABLES.map((t) => sql.table(t)))}`.execute(trx);
    } else if (!(await isEmpty(trx))) {
      throw new SeedRefusedError('The database already holds patients; pass --reset to replace them');
    }
    const summary = { providers: practice.providers.length, patients: 0, encounters: 0, allergies: 0, notes: 0, ssns: 0 };
    await trx.insertInto('pms.provider').values(practice.providers).execute();
    await trx.insertInto('pms.partner').values([...SEED_PARTNERS]).execute();
    await trx.insertInto('pms.payer').values(practice.payers).execute();
    await trx.insertInto('pms.location').values(practice.schedule.locations).execute();
    await trx.insertInto('pms.room').values(practice.schedule.rooms).execute();
    if (practice.schedule.availability.length) await trx.insertInto('pms.availability').values(practice.schedule.availability).execute();
    for (const batch of practice.batches()) {
      await trx.insertInto('pms.patient').values(sealedPatients(batch, keyring)).execute();
      if (batch.encounters.length) await trx.insertInto('pms.encounter').values(batch.encounters).execute();
      if (batch.allergies.length) await trx.insertInto('ehr.allergy').values(batch.allergies).execute();
      if (batch.notes.length) await trx.insertInto('ehr.clinical_note').values(batch.notes).execute();
      if (batch.consents.length) await trx.insertInto('pms.consent').values(batch.consents).execute();
      if (batch.coverages.length) await trx.insertInto('pms.coverage').values(batch.coverages).execute();
      summary.patients += batch.patients.length;
      summary.encounters += batch.encounters.length;
      summary.allergies += batch.allergies.length;
      summary.notes += batch.notes.length;
      summary.ssns += batch.ssns.length;
      onProgress(summary.patients);
    }
    return summary;
  });
}

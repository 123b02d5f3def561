import { sql, type Kysely } from 'kysely';

// A patient's SSN, sealed by the application (AES-256-GCM, `v1.<kid>.<iv>.<tag>.<ciphertext>`): the
// database never holds it in clear, nor its last four digits (the masked form is computed after
// opening it). The key id sits beside the ciphertext so a re-encryption job can find, by index, the
// rows still sealed under a key being retired; the checks keep the two columns in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table pms.patient
      add column ssn_ciphertext text,
      add column ssn_key_id text,
      add constraint patient_ssn_sealed_check check ((ssn_ciphertext is null) = (ssn_key_id is null)),
      add constraint patient_ssn_key_check check (starts_with(ssn_ciphertext, 'v1.' || ssn_key_id || '.'))`.execute(db);
  await sql`create index patient_ssn_key_idx on pms.patient (ssn_key_id) where ssn_key_id is not null`.execute(db);
}

import { sql, type Kysely } from 'kysely';

// Registration at the front desk. The practice assigns MRNs in the form the seed already uses (`CB`
// and at least eight digits) from a sequence, so two desks registering at once never draw the same
// number. The sequence starts past the highest such MRN already held; rows written around it later
// (the seed, an import) are skipped at registration time, which moves the sequence past them.
//
// The duplicate check at registration looks patients up by family name (case-insensitive) and
// birth date: the index keeps that lookup off a full scan.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence pms.patient_mrn_seq as bigint minvalue 1`.execute(db);
  await sql`
    select setval('pms.patient_mrn_seq',
                  coalesce((select max(substr(mrn, 3)::bigint) from pms.patient where mrn ~ '^CB[0-9]{8,18}$'), 0) + 1,
                  false)`.execute(db);
  // nextval needs USAGE; moving the sequence past MRNs taken around it needs UPDATE (setval).
  await sql`grant usage, update on sequence pms.patient_mrn_seq to chartbridge_pms`.execute(db);
  await sql`create index patient_duplicate_idx on pms.patient (lower(family_name), birth_date)`.execute(db);
}

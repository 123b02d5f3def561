import { sql, type Kysely } from 'kysely';

// Payer reversals (835 claim status code 22): a payer takes back an earlier adjudication of a claim,
// usually before paying it again corrected. A reversal is written as remittance lines that negate,
// one for one, the postings they reverse (`reverses_line_id`), so every sum over the lines (payments
// of a period, a claim's balance) nets out without special cases, and the history stays.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pms.remittance_line add column reverses_line_id uuid unique references pms.remittance_line (id)`.execute(db);
  // A remittance adjudicates a claim line once, but may reverse several of its earlier postings.
  await sql`alter table pms.remittance_line drop constraint remittance_line_remittance_id_claim_line_id_key`.execute(db);
  await sql`create unique index remittance_line_once_idx on pms.remittance_line (remittance_id, claim_line_id) where reverses_line_id is null`.execute(
    db,
  );
  for (const column of ['allowed_cents', 'paid_cents', 'patient_responsibility_cents']) {
    await sql`alter table pms.remittance_line drop constraint ${sql.raw(`remittance_line_${column}_check`)}`.execute(db);
  }
  await sql`
    alter table pms.remittance_line add constraint remittance_line_sign_check check (
      case when reverses_line_id is null then allowed_cents >= 0 and paid_cents >= 0 and patient_responsibility_cents >= 0
           else allowed_cents <= 0 and paid_cents <= 0 and patient_responsibility_cents <= 0 end)`.execute(db);
}

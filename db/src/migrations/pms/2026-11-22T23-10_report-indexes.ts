import { sql, type Kysely } from 'kysely';

// Revenue-cycle reports (subgraphs/pms/src/reports) aggregate over a period of dates. Each index
// below is the range scan one of their aggregates starts from; the remittance and patient payment
// tables already have theirs (by payment date, received date and claim), the appointment its unique
// encounter id (productivity's location filter).
export async function up(db: Kysely<unknown>): Promise<void> {
  // Gross charges, payer mix, productivity: claim lines by date of service, the charge and the claim
  // carried along so the scan needs no visit to the table.
  await sql`create index claim_line_service_date_idx on pms.claim_line (service_date) include (claim_id, charge_cents, units)`.execute(db);
  // Clean claim rate and A/R: claims by first submission (never-submitted claims are not indexed).
  await sql`create index claim_first_submitted_idx on pms.claim (first_submitted_at) where first_submitted_at is not null`.execute(db);
  // Charge lag: claims by creation.
  await sql`create index claim_created_idx on pms.claim (created_at)`.execute(db);
  // Denial reports and drill-downs: the denied remittance lines of a period (a payer's reversal lines are
  // no denial), a small part of all lines.
  await sql`create index remittance_line_denied_idx on pms.remittance_line (payment_date, claim_id) where denied and reverses_line_id is null`.execute(
    db,
  );
}

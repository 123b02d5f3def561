import type { CoverageRow, EligibilityCheckRow, NewCoverage, NewEligibilityCheck, PayerRow, PmsDatabase } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import { sql, type Kysely, type Transaction } from 'kysely';

export async function findPayersByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<PayerRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.payer').selectAll().where('id', 'in', valid).execute();
}

export async function listPayers(db: Kysely<PmsDatabase>): Promise<PayerRow[]> {
  return db.selectFrom('pms.payer').selectAll().orderBy('name').orderBy('id').execute();
}

export async function findCoveragesByIds(db: Kysely<PmsDatabase>, ids: readonly string[]): Promise<CoverageRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('pms.coverage').selectAll().where('id', 'in', valid).execute();
}

/** Every coverage of these patients, primary before secondary, the most recent period first. */
export async function findCoveragesByPatientIds(db: Kysely<PmsDatabase>, patientIds: readonly string[]): Promise<CoverageRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.coverage')
    .selectAll()
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('rank')
    .orderBy('effective_from', 'desc')
    .orderBy('id')
    .execute();
}

export async function insertCoverage(trx: Transaction<PmsDatabase>, row: NewCoverage): Promise<CoverageRow> {
  return trx.insertInto('pms.coverage').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Every check of these coverages, newest first within a coverage. */
export async function findEligibilityChecksByCoverageIds(
  db: Kysely<PmsDatabase>,
  coverageIds: readonly string[],
): Promise<EligibilityCheckRow[]> {
  const valid = uuidsOnly(coverageIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('pms.eligibility_check')
    .selectAll()
    .where('coverage_id', 'in', valid)
    .orderBy('coverage_id')
    .orderBy('checked_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertEligibilityCheck(trx: Transaction<PmsDatabase>, row: NewEligibilityCheck): Promise<EligibilityCheckRow> {
  return trx.insertInto('pms.eligibility_check').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * For each appointment, the latest eligibility check of its patient's primary coverage for the
 * appointment's day (in the practice's time zone, computed by PostgreSQL), in one statement.
 * Appointments without one are absent.
 */
export async function findLatestPrimaryChecksByAppointmentIds(
  db: Kysely<PmsDatabase>,
  appointmentIds: readonly string[],
  timeZone: string,
): Promise<Array<EligibilityCheckRow & { appointment_id: string }>> {
  const valid = uuidsOnly(appointmentIds);
  if (valid.length === 0) return [];
  const { rows } = await sql<EligibilityCheckRow & { appointment_id: string }>`
    select distinct on (a.id) e.*, a.id as appointment_id
    from pms.appointment a
    join pms.eligibility_check e
      on e.patient_id = a.patient_id
     and e.date_of_service = (a.starts_at at time zone ${timeZone})::date
    join pms.coverage c on c.id = e.coverage_id and c.rank = 'primary'
    where a.id in (${sql.join(valid)})
    order by a.id, e.checked_at desc, e.id desc`.execute(db);
  return rows;
}

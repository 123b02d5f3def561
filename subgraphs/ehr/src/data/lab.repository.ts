import type { EhrDatabase, LabOrderRow, LabResultRow, NewLabOrder, NewLabResult } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';

/** A page of a patient's results, newest first: `first` rows after the `(observed_at, id)` cursor. */
export interface LabResultsPage {
  readonly first: number;
  readonly after?: readonly [observedAt: Date, id: string];
}

/** A result with the name of the test its order asked for, as the alert rules read it. */
export type LabResultWithTest = LabResultRow & { readonly test_name: string };

export async function findLabOrdersByIds(db: Kysely<EhrDatabase>, ids: readonly string[]): Promise<LabOrderRow[]> {
  const valid = uuidsOnly(ids);
  if (valid.length === 0) return [];
  return db.selectFrom('ehr.lab_order').selectAll().where('id', 'in', valid).execute();
}

/** Every lab order of these encounters, in the order they were placed. */
export async function findLabOrdersByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<LabOrderRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.lab_order')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('ordered_at')
    .orderBy('id')
    .execute();
}

/** Every result of these orders, in the order they were observed. */
export async function findLabResultsByOrderIds(db: Kysely<EhrDatabase>, orderIds: readonly string[]): Promise<LabResultRow[]> {
  const valid = uuidsOnly(orderIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.lab_result')
    .selectAll()
    .where('order_id', 'in', valid)
    .orderBy('order_id')
    .orderBy('observed_at')
    .orderBy('id')
    .execute();
}

/**
 * One page of results for each of these patients, newest first, fetched `first + 1` rows deep per
 * patient: one statement for all patients (see findVitalsPageByPatientIds).
 */
export async function findLabResultsPageByPatientIds(
  db: Kysely<EhrDatabase>,
  patientIds: readonly string[],
  page: LabResultsPage,
): Promise<LabResultRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  let numbered = db
    .selectFrom('ehr.lab_result')
    .selectAll()
    .select((eb) =>
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('patient_id').orderBy('observed_at', 'desc').orderBy('id', 'desc'))
        .as('position'),
    )
    .where('patient_id', 'in', valid);
  if (page.after) {
    const [at, id] = page.after;
    numbered = numbered.where((eb) => eb(eb.refTuple('observed_at', 'id'), '<', eb.tuple(at, id)));
  }
  const rows = await db
    .selectFrom(numbered.as('r'))
    .selectAll()
    .where('position', '<=', page.first + 1)
    .orderBy('patient_id')
    .orderBy('position')
    .execute();
  return rows.map(({ position: _position, ...row }) => row);
}

/**
 * The results the alert rules read for these patients: every result observed since `recentSince`
 * (abnormal and critical results), and those of the `screeningCodes` since `screeningSince`
 * (preventive care), each with its order's test name.
 */
export async function findAlertResultsByPatientIds(
  db: Kysely<EhrDatabase>,
  patientIds: readonly string[],
  window: { readonly recentSince: Date; readonly screeningCodes: readonly string[]; readonly screeningSince: Date },
): Promise<LabResultWithTest[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.lab_result as r')
    .innerJoin('ehr.lab_order as o', 'o.id', 'r.order_id')
    .selectAll('r')
    .select('o.test_name')
    .where('r.patient_id', 'in', valid)
    .where((eb) =>
      eb.or([
        eb('r.observed_at', '>=', window.recentSince),
        ...(window.screeningCodes.length > 0
          ? [eb.and([eb('r.loinc_code', 'in', [...window.screeningCodes]), eb('r.observed_at', '>=', window.screeningSince)])]
          : []),
      ]),
    )
    .orderBy('r.patient_id')
    .orderBy('r.observed_at')
    .orderBy('r.id')
    .execute();
}

/** One order, locked for update so that results recorded against it at once serialize. */
export async function lockLabOrder(trx: Transaction<EhrDatabase>, id: string): Promise<LabOrderRow | undefined> {
  return trx.selectFrom('ehr.lab_order').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertLabOrder(trx: Transaction<EhrDatabase>, order: NewLabOrder): Promise<LabOrderRow> {
  return trx.insertInto('ehr.lab_order').values(order).returningAll().executeTakeFirstOrThrow();
}

export async function insertLabResult(trx: Transaction<EhrDatabase>, result: NewLabResult): Promise<LabResultRow> {
  return trx.insertInto('ehr.lab_result').values(result).returningAll().executeTakeFirstOrThrow();
}

/** Marks an order resulted (its first result arrived); returns the updated row. */
export async function markLabOrderResulted(trx: Transaction<EhrDatabase>, id: string): Promise<LabOrderRow> {
  return trx.updateTable('ehr.lab_order').set({ status: 'resulted' }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

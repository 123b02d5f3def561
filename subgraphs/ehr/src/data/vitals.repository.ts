import type { EhrDatabase, NewVitalSigns, VitalSignsRow } from '@chartbridge/db';
import { uuidsOnly } from '@chartbridge/kit';
import type { Kysely, Transaction } from 'kysely';

/** A page of a patient's vital signs, newest first: `first` rows after the `(taken_at, id)` cursor. */
export interface VitalsPage {
  readonly first: number;
  readonly after?: readonly [takenAt: Date, id: string];
}

/**
 * One page of vital signs for each of these patients, newest first, fetched `first + 1` rows deep
 * per patient (the extra row tells a next page exists): one statement for all patients, numbering
 * each patient's rows with a window function.
 */
export async function findVitalsPageByPatientIds(
  db: Kysely<EhrDatabase>,
  patientIds: readonly string[],
  page: VitalsPage,
): Promise<VitalSignsRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  let numbered = db
    .selectFrom('ehr.vital_signs')
    .selectAll()
    .select((eb) =>
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('patient_id').orderBy('taken_at', 'desc').orderBy('id', 'desc'))
        .as('position'),
    )
    .where('patient_id', 'in', valid);
  if (page.after) {
    const [at, id] = page.after;
    numbered = numbered.where((eb) => eb(eb.refTuple('taken_at', 'id'), '<', eb.tuple(at, id)));
  }
  const rows = await db
    .selectFrom(numbered.as('v'))
    .selectAll()
    .where('position', '<=', page.first + 1)
    .orderBy('patient_id')
    .orderBy('position')
    .execute();
  return rows.map(({ position: _position, ...row }) => row);
}

/** Every set of vital signs taken in these encounters, in the order they were taken. */
export async function findVitalsByEncounterIds(db: Kysely<EhrDatabase>, encounterIds: readonly string[]): Promise<VitalSignsRow[]> {
  const valid = uuidsOnly(encounterIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.vital_signs')
    .selectAll()
    .where('encounter_id', 'in', valid)
    .orderBy('encounter_id')
    .orderBy('taken_at')
    .orderBy('id')
    .execute();
}

/** The newest set of vital signs of each of these patients (none for a patient without any). */
export async function findLatestVitalsByPatientIds(db: Kysely<EhrDatabase>, patientIds: readonly string[]): Promise<VitalSignsRow[]> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.vital_signs')
    .selectAll()
    .distinctOn('patient_id')
    .where('patient_id', 'in', valid)
    .orderBy('patient_id')
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** When each of these patients last had a blood pressure taken (patients without one are absent). */
export async function findLastBloodPressureByPatientIds(
  db: Kysely<EhrDatabase>,
  patientIds: readonly string[],
): Promise<Array<{ patient_id: string; taken_at: Date }>> {
  const valid = uuidsOnly(patientIds);
  if (valid.length === 0) return [];
  return db
    .selectFrom('ehr.vital_signs')
    .select(['patient_id', (eb) => eb.fn.max('taken_at').as('taken_at')])
    .where('patient_id', 'in', valid)
    .where('systolic_mmhg', 'is not', null)
    .groupBy('patient_id')
    .execute();
}

/** The patient's most recently measured height in centimetres, as of `takenAt`; null when none. */
export async function findLatestHeightCm(db: Kysely<EhrDatabase>, patientId: string, takenAt: Date): Promise<string | null> {
  const row = await db
    .selectFrom('ehr.vital_signs')
    .select('height_cm')
    .where('patient_id', '=', patientId)
    .where('height_cm', 'is not', null)
    .where('taken_at', '<=', takenAt)
    .orderBy('taken_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.height_cm ?? null;
}

export async function insertVitalSigns(trx: Transaction<EhrDatabase>, vitals: NewVitalSigns): Promise<VitalSignsRow> {
  return trx.insertInto('ehr.vital_signs').values(vitals).returningAll().executeTakeFirstOrThrow();
}

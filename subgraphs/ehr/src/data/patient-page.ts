import { groupByKey } from '@chartbridge/kit';

/** One page of a patient's list, newest first: `first` rows after the `(instant, id)` cursor. */
export interface PatientPageKey {
  readonly patientId: string;
  readonly first: number;
  readonly after?: readonly [Date, string];
}

/**
 * Answers a batch of per-patient page requests with one statement per distinct page shape (in
 * practice one: a list of patients asks each for the same first page), then hands each request its
 * patient's rows. `find` returns up to `first + 1` rows per patient.
 */
export async function loadPatientPages<R extends { readonly patient_id: string }>(
  keys: readonly PatientPageKey[],
  find: (patientIds: string[], page: { readonly first: number; readonly after?: readonly [Date, string] }) => Promise<R[]>,
): Promise<R[][]> {
  const shapes = new Map<string, PatientPageKey[]>();
  for (const key of keys) {
    const shape = JSON.stringify([key.first, key.after?.[0].toISOString() ?? null, key.after?.[1] ?? null]);
    shapes.set(shape, [...(shapes.get(shape) ?? []), key]);
  }
  const pages = new Map<PatientPageKey, R[]>();
  await Promise.all(
    [...shapes.values()].map(async (group) => {
      const { first, after } = group[0] as PatientPageKey;
      const patientIds = [...new Set(group.map((key) => key.patientId))];
      const rows = groupByKey(patientIds, await find(patientIds, after ? { first, after } : { first }), (row) => row.patient_id);
      for (const key of group) pages.set(key, rows[patientIds.indexOf(key.patientId)] ?? []);
    }),
  );
  return keys.map((key) => pages.get(key) ?? []);
}

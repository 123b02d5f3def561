import { sql, type Kysely } from 'kysely';
import type { CodeSystem, EhrCodingTables } from '../tables/ehr-coding.tables.js';
import type { ReferenceCode } from './code-release-parser.js';

const BATCH = 1000;

/**
 * Loads a code set into `ehr.code_reference` in one transaction: new codes are added, known ones get
 * the release's description; nothing is deleted (a retired code may still sit on old documentation).
 * Returns how many codes were written.
 */
export async function importReferenceCodes(
  db: Kysely<EhrCodingTables>,
  system: CodeSystem,
  codes: readonly ReferenceCode[],
  onProgress: (done: number) => void = () => {},
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (let start = 0; start < codes.length; start += BATCH) {
      const batch = codes.slice(start, start + BATCH);
      await trx
        .insertInto('ehr.code_reference')
        .values(batch.map((c) => ({ system, code: c.code, description: c.description })))
        .onConflict((oc) => oc.columns(['system', 'code']).doUpdateSet({ description: sql`excluded.description` }))
        .execute();
      onProgress(Math.min(start + BATCH, codes.length));
    }
    return codes.length;
  });
}

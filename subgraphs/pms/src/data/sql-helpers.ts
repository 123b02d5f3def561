import type { PmsDatabase } from '@chartbridge/db';
import type { ExpressionBuilder } from 'kysely';

/** Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A correlated subquery that finds a partner's live consent (not revoked, in force on `today`) for
 * the patient in `patientColumn` of the outer query.
 */
export function liveConsentOf<DB extends PmsDatabase, TB extends keyof DB>(
  selectFrom: ExpressionBuilder<DB, TB>['selectFrom'],
  partnerId: string,
  today: string,
  patientColumn: 'pms.patient.id' | 'pms.encounter.patient_id',
) {
  return (selectFrom as ExpressionBuilder<PmsDatabase, 'pms.patient' | 'pms.encounter'>['selectFrom'])('pms.consent as c')
    .select('c.id')
    .whereRef('c.patient_id', '=', patientColumn)
    .where('c.partner_id', '=', partnerId)
    .where('c.revoked_at', 'is', null)
    .where('c.valid_from', '<=', today)
    .where((eb) => eb.or([eb('c.valid_to', 'is', null), eb('c.valid_to', '>=', today)]));
}

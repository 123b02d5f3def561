import type { AuditEventRow, AuditEventTable, PmsDatabase } from '@chartbridge/db';
import type { Kysely } from 'kysely';

export interface AuditEventQuery {
  readonly limit: number;
  /** Keyset position: the (time, id) of the last row of the previous page; newest first. */
  readonly after?: readonly [at: string, id: string];
  readonly patientId?: string;
  readonly actorId?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Only disclosures: patient data seen by a partner or for a purpose other than treatment. */
  readonly disclosuresOnly?: boolean;
}

/**
 * A page of audit events, newest first, fetched `limit + 1` deep. The PMS role may read (never
 * change) the audit schema; its Kysely instance sees those tables only here.
 */
export async function listAuditEvents(db: Kysely<PmsDatabase>, query: AuditEventQuery): Promise<AuditEventRow[]> {
  let q = db.withTables<{ 'audit.event': AuditEventTable }>().selectFrom('audit.event').selectAll();
  if (query.patientId) q = q.where('patient_id', '=', query.patientId);
  if (query.actorId) q = q.where('actor_id', '=', query.actorId);
  if (query.from) q = q.where('at', '>=', query.from);
  if (query.to) q = q.where('at', '<', query.to);
  if (query.disclosuresOnly) {
    q = q.where('action', '=', 'patient.access').where((eb) => eb.or([eb('role', '=', 'partner'), eb('purpose', '<>', 'TREATMENT')]));
  }
  if (query.after) {
    const [at, id] = query.after;
    q = q.where((eb) => eb(eb.refTuple('at', 'id'), '<', eb.tuple(new Date(at), id)));
  }
  return q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

import type { AuditEventRow } from '@chartbridge/db';
import { sql, type RawBuilder } from 'kysely';
import { taggedRequests } from './tagged-requests.js';
import type { TestPlatform } from './test-platform.js';

/**
 * Whose records: those of the requests a test tagged with an id of its own (`X-Request-Id` or
 * `X-Correlation-Id`, see taggedRequests), those of one request by the gateway's own id, or those
 * about one entity.
 */
export type AuditSubject = { readonly tag: string } | { readonly requestId: string } | { readonly entity: string };

/** Which records of the subject: one chain's, these actions only or all but these, these columns. */
export interface AuditFilter<C extends keyof AuditEventRow = keyof AuditEventRow> {
  readonly chain?: AuditEventRow['chain'];
  readonly actions?: { readonly only: readonly string[] } | { readonly except: readonly string[] };
  readonly columns?: readonly C[];
}

function subjectOf(subject: AuditSubject): RawBuilder<unknown> {
  if ('tag' in subject) return sql`request_id in ${taggedRequests(subject.tag)}`;
  if ('requestId' in subject) return sql`request_id = ${subject.requestId}`;
  return sql`entity_id = ${subject.entity}`;
}

/**
 * The audit records of a subject, as the database owner reads them, in chain order and oldest first
 * within a chain: every column unless the filter names some.
 */
export async function auditRecords(platform: TestPlatform, subject: AuditSubject, filter?: AuditFilter): Promise<AuditEventRow[]>;
export async function auditRecords<C extends keyof AuditEventRow>(
  platform: TestPlatform,
  subject: AuditSubject,
  filter: AuditFilter<C> & { readonly columns: readonly C[] },
): Promise<Array<Pick<AuditEventRow, C>>>;
export async function auditRecords(
  platform: TestPlatform,
  subject: AuditSubject,
  filter: AuditFilter = {},
): Promise<Array<Partial<AuditEventRow>>> {
  const where = [subjectOf(subject)];
  if (filter.chain) where.push(sql`chain = ${filter.chain}`);
  if (filter.actions && 'only' in filter.actions) where.push(sql`action in (${sql.join(filter.actions.only)})`);
  if (filter.actions && 'except' in filter.actions) where.push(sql`action not in (${sql.join(filter.actions.except)})`);
  const columns = filter.columns ? sql.join(filter.columns.map((c) => sql.ref(c))) : sql`*`;
  const { rows } =
    await sql<AuditEventRow>`select ${columns} from audit.event where ${sql.join(where, sql` and `)} order by chain, seq`.execute(
      platform.owner.db,
    );
  return rows;
}

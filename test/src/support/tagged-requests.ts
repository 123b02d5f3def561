import { sql, type RawBuilder } from 'kysely';

/**
 * The request ids of the requests a test tagged with an id of its own (`X-Request-Id` or
 * `X-Correlation-Id`), as a SQL subquery. The gateway makes every request's id itself and keeps the
 * caller's as the correlation id of its request record, so `where request_id in
 * ${taggedRequests('my-tag')}` finds every chain's records of those requests.
 */
export function taggedRequests(tag: string): RawBuilder<unknown> {
  return sql`(select tagged.request_id from audit.event tagged where tagged.chain = 'gateway' and tagged.correlation_id = ${tag})`;
}

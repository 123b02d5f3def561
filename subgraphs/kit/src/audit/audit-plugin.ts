import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { appendAudit, type AuditChain, type AuditDatabase, type AuditRecord } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import { MASKED_MESSAGE } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Writes a request's audit records before its response leaves, and fails closed: when they cannot be
 * written, the response is replaced by an error and no data is returned (45 CFR 164.312(b): no access
 * to PHI without its record).
 */
export function auditPlugin<Ctx extends BaseContext>(options: {
  readonly chain: AuditChain;
  readonly db: Kysely<AuditDatabase>;
  readonly logger: Logger;
  readonly recordsOf: (context: Ctx) => AuditRecord[];
  readonly requestIdOf: (context: Ctx) => string;
}): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const records = options.recordsOf(contextValue);
          if (records.length === 0) return;
          try {
            await appendAudit(options.db, options.chain, records);
          } catch (error) {
            options.logger.error('audit.write_failed', {
              requestId: options.requestIdOf(contextValue),
              errorName: error instanceof Error ? error.name : 'unknown',
            });
            response.http.status = 500;
            response.body = {
              kind: 'single',
              singleResult: { data: null, errors: [{ message: MASKED_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
            };
          }
        },
      };
    },
  };
}

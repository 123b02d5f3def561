import type { IncomingMessage } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { onTransactionRetry, type AuditChain, type AuditDatabase, type Database } from '@chartbridge/db';
import { accessRecords } from './audit/access-records.js';
import { auditPlugin } from './audit/audit-plugin.js';
import { errorResultsPlugin, noteErrorResults } from './audit/error-results.js';
import type { Kysely } from 'kysely';
import { baseContext, type RequestContext } from './context.js';
import { AccessControl } from './auth/access-control.js';
import { verifyInternalToken, type InternalClaims, type InternalTokenKey } from './auth/internal-token.js';
import { MASKED_MESSAGE, isExpectedCode, unauthenticated } from './errors.js';
import { listenHttp, sendJson, type RouteHandler, type RunningHttpServer } from './http-server.js';
import type { Logger } from './logger.js';
import { pingDatabase } from './subgraph-process.js';

export interface SubgraphServerOptions<Ctx extends RequestContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly port: number;
  readonly host?: string;
  /** In production, unexpected errors are masked. No error carries a stack trace, in any mode. */
  readonly production: boolean;
  readonly logger: Logger;
  readonly createContext: (req: IncomingMessage, requestId: string) => Promise<Ctx> | Ctx;
  /** Throws when the subgraph cannot serve (its database is unreachable). */
  readonly checkHealth: () => Promise<void>;
  readonly plugins?: ReadonlyArray<ApolloServerPlugin<Ctx>>;
  /** Plain HTTP routes beside `/graphql` and `/health` (the PMS's event intake), each authenticating its own callers. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
}

export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Refuses new work, lets requests in flight finish, then stops Apollo Server. */
  stop(): Promise<void>;
}

// Extensions that describe the server's code rather than the request: never sent, in any mode.
const INTERNAL_EXTENSIONS: ReadonlySet<string> = new Set(['stacktrace', 'exception']);

/** The error without a stack trace (Apollo Server's `extensions.stacktrace`) or any other view of the code. */
function withoutStack(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const extensions = formatted.extensions;
  if (!extensions || !Object.keys(extensions).some((key) => INTERNAL_EXTENSIONS.has(key))) return formatted;
  return { ...formatted, extensions: Object.fromEntries(Object.entries(extensions).filter(([key]) => !INTERNAL_EXTENSIONS.has(key))) };
}

/**
 * The error formatter of every subgraph: expected errors keep their message and code; anything else
 * becomes "Unexpected error" with `INTERNAL_SERVER_ERROR` when `mask` is set (production). No stack
 * trace in any mode: a subgraph's caller may be anyone who reaches its port, and its refusals
 * (`UNAUTHENTICATED`) are answered before the caller is known.
 */
export function formatErrorFor(mask: boolean, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (isExpectedCode(code)) return withoutStack(formatted);
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    logger.error('graphql.unexpected_error', {
      code: typeof code === 'string' ? code : undefined,
      errorName: original instanceof Error ? original.name : 'unknown',
    });
    if (!mask) return withoutStack(formatted);
    return {
      message: MASKED_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/**
 * Starts one subgraph: Apollo Server over Node's HTTP server with `/graphql` and `/health`
 * (200 when its database answers, 503 otherwise or while stopping).
 */
export async function startSubgraphServer<Ctx extends RequestContext>(options: SubgraphServerOptions<Ctx>): Promise<RunningSubgraph> {
  const { logger } = options;
  // The gateway records how each request ended: it learns of error results from here.
  noteErrorResults(options.schema);
  const apollo = new ApolloServer<Ctx>({
    schema: options.schema,
    // Never, whatever NODE_ENV says: the first answer to a caller is the 401 of an unknown one.
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(options.production, logger),
    stopOnTerminationSignals: false,
    // Federated tracing is for Apollo's hosted studio, which this platform does not report to. Cache
    // hints are off: no answer is cacheable (listenHttp sends `no-store`), and the hint plugin would
    // otherwise wrap every field's resolver to compute one. No landing page: only the gateway is
    // meant for people, and Apollo's page would name the server and its version to anyone.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      errorResultsPlugin<Ctx>(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();
  let stopping = false;
  let http: RunningHttpServer;
  try {
    http = await listenHttp<Ctx>(
      {
        apollo,
        logger,
        context: async (req, requestId) => options.createContext(req, requestId),
        routes: {
          ...options.routes,
          '/health': async (_req, res) => {
            if (stopping) return sendJson(res, 503, { status: 'stopping', service: options.name });
            try {
              await options.checkHealth();
              sendJson(res, 200, { status: 'ok', service: options.name });
            } catch {
              sendJson(res, 503, { status: 'unavailable', service: options.name });
            }
          },
        },
      },
      options.port,
      options.host,
    );
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  logger.info('subgraph.listening', { service: options.name, url: `${http.url}/graphql` });
  return {
    name: options.name,
    url: `${http.url}/graphql`,
    port: http.port,
    async stop() {
      stopping = true;
      await http.close();
      await apollo.stop();
    },
  };
}

export interface DatabaseSubgraphOptions<DB, Extension extends object = Record<never, never>> {
  readonly database: Database<DB>;
  /** The audit trail's own connection (kept apart so audit writes never join a domain transaction). */
  readonly audit: Database<AuditDatabase>;
  /** The secret the gateway signs internal tokens with; requests without a valid one are refused. */
  readonly internalKey: InternalTokenKey;
  readonly port: number;
  readonly host?: string;
  readonly production: boolean;
  readonly logger: Logger;
  /**
   * Adds the subgraph's own members to every request's context (the PMS's field keyring, for one).
   * It cannot replace the base members: identity, loaders and database always come from here.
   */
  readonly extendContext?: (base: RequestContext & { readonly db: Kysely<DB> }) => Extension;
  /** Plain HTTP routes beside `/graphql` and `/health`, each authenticating its own callers. */
  readonly routes?: Readonly<Record<string, RouteHandler>>;
}

/** The bearer token of a request, if it sent one. */
function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header) : null;
  return match?.[1];
}

/**
 * Authenticates a subgraph request: only a token the gateway signed is accepted, whatever the
 * operation (`_entities` and `_service` included). Refuses with HTTP 401 `UNAUTHENTICATED`.
 */
export async function authenticateSubgraphRequest(
  req: IncomingMessage,
  key: InternalTokenKey,
): Promise<InternalClaims & { readonly token: string }> {
  const token = bearerToken(req);
  if (!token) throw unauthenticated('This service answers only the ChartBridge gateway');
  try {
    return { ...(await verifyInternalToken(key, token)), token };
  } catch {
    throw unauthenticated('This service answers only the ChartBridge gateway');
  }
}

/**
 * Starts a subgraph whose request context is the base context (identity from the gateway's token)
 * plus its own Kysely instance and what `extendContext` adds, and whose health is its database's.
 */
export async function startDatabaseSubgraph<DB, Extension extends object = Record<never, never>>(
  name: AuditChain,
  schema: GraphQLSchema,
  options: DatabaseSubgraphOptions<DB, Extension>,
): Promise<RunningSubgraph> {
  const { db } = options.database;
  type Base = RequestContext & { readonly db: Kysely<DB> };
  type Ctx = Base & Extension;
  // A write transaction PostgreSQL cancelled (a deadlock) and ran again: worth an operator's notice.
  const stopRetryLog = onTransactionRetry([db], ({ failedAttempt, code }) =>
    options.logger.warn('transaction.retried', { code, attempt: failedAttempt }),
  );
  let server: RunningSubgraph;
  try {
    server = await startSubgraphServer<Ctx>({
      plugins: [
        auditPlugin<Ctx>({
          chain: name,
          db: options.audit.db,
          logger: options.logger,
          recordsOf: (ctx) => accessRecords(ctx.access, ctx.requestId),
          requestIdOf: (ctx) => ctx.requestId,
        }),
      ],
      name,
      schema,
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      production: options.production,
      logger: options.logger,
      createContext: async (req) => {
        const { identity, requestId, token } = await authenticateSubgraphRequest(req, options.internalKey);
        const base: Base = { ...baseContext(requestId, new AccessControl(identity), token), db };
        // Without a hook, Extension is its empty default.
        return { ...(options.extendContext?.(base) ?? ({} as Extension)), ...base };
      },
      checkHealth: () => pingDatabase(db),
      ...(options.routes ? { routes: options.routes } : {}),
    });
  } catch (error) {
    stopRetryLog();
    throw error;
  }
  return {
    ...server,
    async stop() {
      await server.stop();
      stopRetryLog();
    },
  };
}

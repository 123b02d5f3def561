import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Database } from '@chartbridge/db';
import type { Kysely } from 'kysely';
import { baseContext, type RequestContext } from './context.js';
import { MASKED_MESSAGE, isExpectedCode } from './errors.js';
import { listenHttp, sendJson, type RunningHttpServer } from './http-server.js';
import type { Logger } from './logger.js';
import { pingDatabase } from './subgraph-process.js';

export interface SubgraphServerOptions<Ctx extends RequestContext> {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly port: number;
  readonly host?: string;
  /** In production, unexpected errors are masked and carry no stack trace. */
  readonly production: boolean;
  readonly logger: Logger;
  readonly createContext: (req: IncomingMessage, requestId: string) => Promise<Ctx> | Ctx;
  /** Throws when the subgraph cannot serve (its database is unreachable). */
  readonly checkHealth: () => Promise<void>;
}

export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Refuses new work, lets requests in flight finish, then stops Apollo Server. */
  stop(): Promise<void>;
}

/**
 * The error formatter of every subgraph and the gateway: expected errors keep their message and
 * code; anything else becomes "Unexpected error" with `INTERNAL_SERVER_ERROR` when `mask` is set.
 */
export function formatErrorFor(mask: boolean, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (isExpectedCode(code)) return formatted;
    const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
    logger.error('graphql.unexpected_error', {
      code: typeof code === 'string' ? code : undefined,
      errorName: original instanceof Error ? original.name : 'unknown',
    });
    if (!mask) return formatted;
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
export async function startSubgraphServer<Ctx extends RequestContext>(
  options: SubgraphServerOptions<Ctx>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const apollo = new ApolloServer<Ctx>({
    schema: options.schema,
    includeStacktraceInErrorResponses: !options.production,
    formatError: formatErrorFor(options.production, logger),
    stopOnTerminationSignals: false,
    // Federated tracing is for Apollo's hosted studio, which this platform does not report to.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
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

export interface DatabaseSubgraphOptions<DB> {
  readonly database: Database<DB>;
  readonly port: number;
  readonly host?: string;
  readonly production: boolean;
  readonly logger: Logger;
}

/**
 * Starts a subgraph whose request context is the base context plus its own Kysely instance, and
 * whose health is its database's.
 */
export function startDatabaseSubgraph<DB>(
  name: string,
  schema: GraphQLSchema,
  options: DatabaseSubgraphOptions<DB>,
): Promise<RunningSubgraph> {
  const { db } = options.database;
  return startSubgraphServer<RequestContext & { readonly db: Kysely<DB> }>({
    name,
    schema,
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    production: options.production,
    logger: options.logger,
    createContext: (_req, requestId) => ({ ...baseContext(requestId), db }),
    checkHealth: () => pingDatabase(db),
  });
}

import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { PolicyManifest } from '@chartbridge/schema';
import { appendAudit, type AuditDatabase, type AuditRecord, type Database } from '@chartbridge/db';
import {
  ERROR_RESULTS_EXTENSION,
  auditPlugin,
  correlationIdOf,
  listenHttp,
  sendJson,
  signInternalToken,
  type Identity,
  type InternalTokenKey,
  type Logger,
} from '@chartbridge/kit';
import { request } from 'undici';
import { AuthenticationError, authenticateRequest } from './auth/authenticate.js';
import { disableVendorTelemetry } from './config.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import { gatewayErrorFormatter } from './error-masking.js';
import { useRequestLimits, type RequestLimitsOptions } from './limits.js';
import { policyPrecheckPlugin } from './policy-precheck.js';
import { outcomeOfCode, requestOutcome } from './request-outcome.js';
import { reportDownloadRoutes } from './report-download.js';
import { scalarValidationPlugin } from './scalar-validation.js';
import { createSubgraphFetcher, type SubgraphFetcher } from './subgraph-fetcher.js';

export interface GatewayContext {
  /** The gateway's own id for the request: always made here, never the caller's. */
  readonly requestId: string;
  /** The caller's own id for the request (`X-Correlation-Id`, else `X-Request-Id`), when it sent a sane one. */
  readonly correlationId: string | null;
  readonly identity: Identity;
  /** The short-lived token the subgraphs accept, signed for this request. */
  readonly internalToken: string;
  readonly sourceAddress: string | null;
  /** `performance.now()` when the request arrived, for the audit record's latency. */
  readonly startedAt: number;
  /** What the request record says about the operation, filled as the request proceeds. */
  readonly request: {
    operationName: string | null;
    operationHash: string | null;
    outcome: AuditRecord['outcome'];
    /** The codes of the error results the subgraphs answered with (a mutation's `ForbiddenError`, ...). */
    readonly resultCodes: Set<string>;
  };
}

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph GraphQL URLs by name, overriding the ones composed into the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly subgraphTimeoutMs?: number;
  /** Verifies callers' bearer tokens. */
  readonly verifyToken: TokenVerifier;
  /** Signs the internal token forwarded to the subgraphs. */
  readonly internalKey: InternalTokenKey;
  /** The audit trail's connection (the gateway's chain). */
  readonly audit: Database<AuditDatabase>;
  /** The access policy `pnpm compose` published, for refusing certainly-denied operations early. */
  readonly policyManifest: PolicyManifest;
  /** Depth, alias, token, cost and directive limits and the introspection policy; closed as in production when absent. */
  readonly limits?: RequestLimitsOptions;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

type ReceivedResponse = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

/**
 * Forwards the caller's verified identity as the gateway-signed internal token, and the request id so
 * one id threads the gateway's and every subgraph's logs and audit rows. Nothing else of the client's
 * request (its own token, its headers) reaches a subgraph.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request: subgraphRequest, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('internalToken' in context && typeof context.internalToken === 'string') {
      subgraphRequest.http?.headers.set('authorization', `Bearer ${context.internalToken}`);
      subgraphRequest.http?.headers.set('x-request-id', context.requestId);
    }
  }

  /**
   * Notes the codes of the error results a subgraph answered with (its {@link ERROR_RESULTS_EXTENSION}),
   * for the request record. A subgraph's extensions never reach the client: the gateway builds the
   * client's response from the subgraphs' data and errors only.
   */
  override didReceiveResponse({ response, context }: ReceivedResponse) {
    const codes: unknown = response.extensions?.[ERROR_RESULTS_EXTENSION];
    const noted = (context as Partial<GatewayContext>).request?.resultCodes;
    if (noted && Array.isArray(codes)) for (const code of codes) if (typeof code === 'string') noted.add(code);
    return response;
  }
}

/** The gateway's audit record of one request: who, what operation, why, how it ended, how long it took. */
function requestRecord(ctx: GatewayContext): AuditRecord {
  return {
    action: 'graphql.request',
    requestId: ctx.requestId,
    correlationId: ctx.correlationId,
    actorId: ctx.identity.subject,
    role: ctx.identity.role,
    client: ctx.identity.client,
    purpose: ctx.identity.purpose,
    operationName: ctx.request.operationName,
    operationHash: ctx.request.operationHash,
    outcome: ctx.request.outcome,
    latencyMs: performance.now() - ctx.startedAt,
    sourceAddress: ctx.sourceAddress,
    breakGlass: ctx.identity.breakGlassReason !== null,
    breakGlassReason: ctx.identity.breakGlassReason,
  };
}

/**
 * Notes the operation and its outcome on the context: from the codes of the request's GraphQL errors
 * and of the error results the subgraphs answered with (see request-outcome.ts), so a mutation
 * refused with a `ForbiddenError` is `denied` and one refused with a `ValidationError` `invalid`,
 * whatever the client selected of them. Runs before the audit plugin writes the record.
 */
function requestRecordPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operationName, queryHash }) {
          contextValue.request.operationName = operationName ?? null;
          contextValue.request.operationHash = queryHash;
        },
        async willSendResponse({ response, errors }) {
          const codes = [...(errors ?? []), ...(response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [])].map(
            (e) => e.extensions?.['code'],
          );
          contextValue.request.outcome = requestOutcome([...codes, ...contextValue.request.resultCodes]);
        },
      };
    },
  };
}

async function subgraphHealth(graphqlUrl: string): Promise<'ok' | 'unavailable'> {
  try {
    const res = await request(new URL('/health', graphqlUrl), { headersTimeout: 2000, bodyTimeout: 2000 });
    await res.body.dump();
    return res.statusCode === 200 ? 'ok' : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/**
 * Starts the public endpoint: @apollo/gateway over the static supergraph inside Apollo Server, on
 * `/graphql`, with `/health` reporting each subgraph. Starts even when a subgraph is down: the
 * supergraph is a file, not an introspection of live services.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger } = options;
  const fetchers: SubgraphFetcher[] = [];
  disableVendorTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: {
      debug: () => {},
      info: () => {},
      warn: (message: unknown) => logger.warn('gateway.warning', { code: String(message).slice(0, 200) }),
      error: (message: unknown) => logger.error('gateway.error', { code: String(message).slice(0, 200) }),
    },
    buildService: ({ name, url }) => {
      const fetcher = createSubgraphFetcher(name, { timeoutMs: options.subgraphTimeoutMs ?? 10_000 });
      fetchers.push(fetcher);
      return new SubgraphDataSource({ url: options.subgraphUrls[name] ?? url, fetcher, honorSubgraphCacheControlHeader: false });
    },
  });
  const limits = useRequestLimits<GatewayContext>(options.limits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: gatewayErrorFormatter(logger),
    stopOnTerminationSignals: false,
    // Always on: the limits' introspection policy decides who may, by role, once the caller is known.
    introspection: true,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      // No answer is cacheable (listenHttp sends `no-store` on every response): no cache policy to compute.
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      requestRecordPlugin(),
      auditPlugin<GatewayContext>({
        chain: 'gateway',
        db: options.audit.db,
        logger,
        recordsOf: (ctx) => [requestRecord(ctx)],
        requestIdOf: (ctx) => ctx.requestId,
      }),
      scalarValidationPlugin(),
      policyPrecheckPlugin(options.policyManifest),
    ],
  });
  await apollo.start();
  let stopping = false;
  const context = async (req: IncomingMessage, requestId: string): Promise<GatewayContext> => {
    const startedAt = performance.now();
    const sourceAddress = req.socket.remoteAddress ?? null;
    const correlationId = correlationIdOf(req);
    try {
      const identity = await authenticateRequest(req, options.verifyToken);
      return {
        requestId,
        correlationId,
        identity,
        internalToken: await signInternalToken(options.internalKey, identity, requestId),
        sourceAddress,
        startedAt,
        request: { operationName: null, operationHash: null, outcome: 'success' as const, resultCodes: new Set<string>() },
      };
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      logger.info('auth.refused', { requestId, code: error.reason });
      // Refused attempts are audited too; if even that fails, the answer is still a refusal.
      await appendAudit(options.audit.db, 'gateway', [
        {
          action: `auth.refused.${error.reason}`,
          requestId,
          correlationId,
          actorId: 'anonymous',
          role: 'none',
          outcome: outcomeOfCode(error.graphqlError.extensions['code']),
          sourceAddress,
          latencyMs: performance.now() - startedAt,
        },
      ]).catch(() => logger.error('audit.write_failed', { requestId }));
      throw error.graphqlError;
    }
  };
  const http = await listenHttp<GatewayContext>(
    {
      apollo,
      logger,
      context,
      // The public edge: the request id is the gateway's own; the caller's is kept as its correlation id.
      ownRequestIds: true,
      routes: {
        // Report downloads run through this same pipeline: the same authentication, limits and audit.
        ...reportDownloadRoutes({ apollo, context, logger }),
        '/health': async (_req, res) => {
          if (stopping) return sendJson(res, 503, { status: 'stopping' });
          const entries = await Promise.all(
            Object.entries(options.subgraphUrls).map(async ([name, url]) => [name, await subgraphHealth(url)] as const),
          );
          const subgraphs = Object.fromEntries(entries);
          const degraded = entries.some(([, status]) => status !== 'ok');
          sendJson(res, 200, { status: degraded ? 'degraded' : 'ok', subgraphs });
        },
      },
    },
    options.port,
    options.host,
  );
  logger.info('gateway.listening', { url: `${http.url}/graphql` });
  return {
    url: `${http.url}/graphql`,
    port: http.port,
    async stop() {
      stopping = true;
      await http.close();
      await apollo.stop();
      await Promise.all(fetchers.map((f) => f.close()));
    },
  };
}

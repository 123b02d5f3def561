import type { IncomingMessage } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { listenHttp, sendJson, type Logger } from '@chartbridge/kit';
import { request } from 'undici';
import { gatewayErrorFormatter } from './error-masking.js';
import { scalarValidationPlugin } from './scalar-validation.js';
import { createSubgraphFetcher, type SubgraphFetcher } from './subgraph-fetcher.js';

export interface GatewayContext {
  readonly requestId: string;
}

export interface GatewayOptions {
  readonly supergraphSdl: string;
  /** Subgraph GraphQL URLs by name, overriding the ones composed into the supergraph. */
  readonly subgraphUrls: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly subgraphTimeoutMs?: number;
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Forwards the request id so one id threads the gateway's and every subgraph's logs and audit rows. */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request: subgraphRequest, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if ('requestId' in context && typeof context.requestId === 'string') {
      subgraphRequest.http?.headers.set('x-request-id', context.requestId);
    }
  }
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
      return new SubgraphDataSource({ url: options.subgraphUrls[name] ?? url, fetcher });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    includeStacktraceInErrorResponses: false,
    formatError: gatewayErrorFormatter(logger),
    stopOnTerminationSignals: false,
    plugins: [scalarValidationPlugin()],
  });
  await apollo.start();
  let stopping = false;
  const http = await listenHttp<GatewayContext>(
    {
      apollo,
      logger,
      context: async (_req: IncomingMessage, requestId: string) => ({ requestId }),
      routes: {
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

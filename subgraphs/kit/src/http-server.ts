import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Logger } from './logger.js';

/** Largest request body accepted; GraphQL documents and variables are far smaller. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What a request id a caller sends may be: 1 to 128 letters, digits and `._:-` (no spaces, no commas, nothing to escape). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const given = req.headers[name];
  return Array.isArray(given) ? given[0] : given;
}

/**
 * The caller's `X-Request-Id` when it is a sane token, a new UUID otherwise. For a subgraph, whose
 * caller is the gateway: the gateway's own id for the request.
 */
export function requestIdOf(req: IncomingMessage): string {
  const value = headerValue(req, 'x-request-id');
  return value !== undefined && REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * The caller's own id for a request, kept beside the id the gateway makes: its `X-Correlation-Id`,
 * else its `X-Request-Id`, when that is 1 to 128 letters, digits and `._:-`; null when it sent none
 * or one that is not.
 */
export function correlationIdOf(req: IncomingMessage): string | null {
  const value = headerValue(req, 'x-correlation-id') ?? headerValue(req, 'x-request-id');
  return value !== undefined && REQUEST_ID.test(value) ? value : null;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void> | void;

export interface HttpServerOptions<Ctx extends BaseContext> {
  readonly apollo: ApolloServer<Ctx>;
  /** Builds the GraphQL context; a thrown error with `status` answers with that HTTP status. */
  readonly context: (req: IncomingMessage, requestId: string) => Promise<Ctx>;
  readonly routes?: Readonly<Record<string, RouteHandler>>;
  readonly graphqlPath?: string;
  readonly logger: Logger;
  /**
   * The public edge (the gateway): every request gets a new id, whatever the caller sent, so no
   * caller can give its request another's id; the caller's own (see {@link correlationIdOf}) is
   * echoed as `X-Correlation-Id`. Otherwise (a subgraph) the caller's `X-Request-Id` is the id.
   */
  readonly ownRequestIds?: boolean;
}

export interface RunningHttpServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function parseBody(req: IncomingMessage): Promise<unknown> {
  if (req.method !== 'POST') return undefined;
  const text = await readBody(req);
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) return text;
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}

function headerMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/**
 * Serves Apollo Server on Node's own HTTP server: one GraphQL path, a few plain routes (health,
 * downloads), `X-Request-Id` taken or made (always made with `ownRequestIds`) and echoed on every
 * response, `Cache-Control: no-store` on every response, bodies capped at 1 MiB.
 */
export async function listenHttp<Ctx extends BaseContext>(
  options: HttpServerOptions<Ctx>,
  port: number,
  host = '0.0.0.0',
): Promise<RunningHttpServer> {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const log = options.logger;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = options.ownRequestIds ? randomUUID() : requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const correlationId = options.ownRequestIds ? correlationIdOf(req) : null;
    if (correlationId !== null) res.setHeader('x-correlation-id', correlationId);
    // Every answer may carry PHI or depend on who asked: no cache, shared or private, may keep it.
    res.setHeader('cache-control', 'no-store');
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      const route = options.routes?.[url.pathname];
      if (route) {
        await route(req, res, requestId);
      } else if (url.pathname === graphqlPath) {
        const body = await parseBody(req);
        const result = await options.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMap(req), search: url.search, body },
          context: () => options.context(req, requestId),
        });
        for (const [key, value] of result.headers) res.setHeader(key, value);
        res.statusCode = result.status ?? 200;
        if (result.body.kind === 'complete') {
          res.end(result.body.string);
        } else {
          for await (const chunk of result.body.asyncIterator) res.write(chunk);
          res.end();
        }
      } else {
        sendJson(res, 404, { error: 'Not found' });
      }
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) log.error('request.failed', { requestId, errorName: error instanceof Error ? error.name : 'unknown' });
      if (!res.headersSent) {
        // The rest of a refused body is still on the wire: close the connection after answering,
        // or the next request on it would be read from the middle of this one's body.
        if (status === 413) res.setHeader('connection', 'close');
        sendJson(res, status, {
          errors: [
            {
              message: status === 500 ? 'Unexpected error' : (error as Error).message,
              extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' },
            },
          ],
        });
      } else {
        res.end();
      }
    } finally {
      log.debug('request', {
        requestId,
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      });
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  // Keep-alive connections from the gateway should outlive its own idle timeout, never the reverse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

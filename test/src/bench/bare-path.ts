import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendAudit, type AuditDatabase } from '@chartbridge/db';
import { sendJson } from '@chartbridge/kit';
import type { Kysely } from 'kysely';
import { Agent, request } from 'undici';

/**
 * The design's request path with no GraphQL in it, for the benchmark: what any implementation of
 * the architecture pays on this machine before its GraphQL stack costs anything.
 *
 * A request to `url` crosses the same two HTTP hops as one through the gateway: to a bare front
 * server, then over a keep-alive connection to a bare back server, which runs the report's SQL and
 * answers its rows as JSON. The front server then appends the request's audit record to
 * the gateway's chain, committed with its WAL flush, and only then answers the rows: fail closed,
 * as the gateway does. There is no token, no GraphQL parsing or execution, no query plan and no
 * result shaping.
 */
export interface BarePath {
  readonly url: string;
  close(): Promise<void>;
}

export interface BarePathOptions {
  /** Runs the report's SQL (on a reports connection) and returns its rows. */
  readonly runReport: () => Promise<unknown[]>;
  /** The gateway's audit connection: the records take turns with the gateway's own (RunningPlatform.gatewayAudit). */
  readonly audit: Kysely<AuditDatabase>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  req.setEncoding('utf8');
  for await (const chunk of req) body += chunk as string;
  return body;
}

/** A server answering `handle`'s value as JSON for the request's body; a failure answers 500 with the error's name (the benchmark reports it). */
function serve(handle: (body: string) => Promise<unknown>): Server {
  return createServer((req, res) => {
    readBody(req)
      .then(handle)
      .then(
        (answer) => sendJson(res, 200, answer),
        (error: unknown) => sendJson(res, 500, { error: error instanceof Error ? error.name : 'failed' }),
      );
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startBarePath(options: BarePathOptions): Promise<BarePath> {
  const back = serve(async () => ({ data: await options.runReport() }));
  const backUrl = await listen(back);
  const agent = new Agent({ connections: 8, keepAliveTimeout: 30_000 });
  const front = serve(async (body) => {
    const started = performance.now();
    const res = await request(backUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent });
    const answer = JSON.parse(await res.body.text()) as unknown;
    if (res.statusCode !== 200) throw new Error(`the back server answered ${res.statusCode}`);
    await appendAudit(options.audit, 'gateway', [
      {
        action: 'bench.bare_request',
        requestId: randomUUID(),
        actorId: 'bench-analyst',
        role: 'analyst',
        outcome: 'success',
        latencyMs: performance.now() - started,
      },
    ]);
    return answer;
  });
  const url = await listen(front);
  return {
    url,
    async close() {
      await closeServer(front);
      await agent.close();
      await closeServer(back);
    },
  };
}

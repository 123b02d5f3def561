import { startPlatform, type RunningPlatform } from '@chartbridge/gateway';
import { freshDatabase, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{
    readonly message: string;
    readonly path?: ReadonlyArray<string | number>;
    readonly extensions?: Record<string, unknown>;
  }>;
}

export interface TestPlatform extends RunningPlatform {
  readonly database: TestDatabase;
  /** Every JSON log line the platform wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Posts a GraphQL request to the gateway over HTTP. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
}

/** Posts a GraphQL request to any GraphQL URL over HTTP. */
export async function postGraphQL<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status' | 'headers'>;
  return { status: res.status, headers: res.headers, ...body };
}

/**
 * Starts the whole platform (both subgraphs and the gateway, over HTTP on free ports) on a fresh
 * database, seeded with a deterministic synthetic practice.
 */
export async function startTestPlatform(options: { patients?: number; seed?: number } = {}): Promise<TestPlatform> {
  const database = await freshDatabase();
  const logs: Array<Record<string, unknown>> = [];
  try {
    const platform = await startPlatform({
      database: database.kind === 'server' ? { url: database.url } : { pglite: database.pglite },
      ports: { gateway: 0, pms: 0, ehr: 0 },
      host: '127.0.0.1',
      seedIfEmpty: { patients: options.patients ?? 120, seed: options.seed ?? 42 },
      production: true,
      logLevel: 'debug',
      logSink: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    });
    return {
      ...platform,
      database,
      logs,
      query: (query, variables, headers) => postGraphQL(platform.gatewayUrl, query, variables, headers),
      async stop() {
        await platform.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

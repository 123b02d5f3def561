import { randomBytes } from 'node:crypto';
import {
  createTokenVerifier,
  generateDevSigningKey,
  issueDevToken,
  startPlatform,
  type DevTokenClaims,
  type RunningPlatform,
} from '@chartbridge/gateway';
import { createDatabase, generateFieldKeyring, type Database } from '@chartbridge/db';
import { InternalTokenKey } from '@chartbridge/kit';
import { sql } from 'kysely';
import { vi } from 'vitest';
import type { ReportsConfig } from '@chartbridge/pms';
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

/**
 * A caller's claims for {@link TestPlatform.query}. A clinician's or nurse's token names a seeded
 * provider unless the test names one (`provider: 'id'`) or none (`provider: null`).
 */
export type TestCaller = Omit<DevTokenClaims, 'provider'> & { readonly provider?: string | null };

export interface QueryOptions {
  /** Who calls: the claims of a token signed with the platform's key; `null` sends no token. Default: a clinician. */
  readonly as?: TestCaller | null;
  readonly headers?: Record<string, string>;
}

export const TOKEN_ISSUER = 'chartbridge-test';
export const TOKEN_AUDIENCE = 'chartbridge-api';

export interface TestPlatform extends RunningPlatform {
  readonly database: TestDatabase;
  /** Every JSON log line the platform wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** A connection as the database owner (tests that tamper or inspect everything); closed by `stop()`. */
  readonly owner: Database<unknown>;
  /**
   * The seeded providers' ids, in id order. A clinician's token names the first unless told
   * otherwise, a nurse's the last (the directory has at least three).
   */
  readonly providers: readonly string[];
  /** A caller token signed with this platform's key. */
  token(claims: DevTokenClaims, options?: { ttlSeconds?: number; issuer?: string; audience?: string }): Promise<string>;
  /** Posts a GraphQL request to the gateway over HTTP as the given caller. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: QueryOptions,
  ): Promise<GraphQLResponse<T>>;
}

/** The token claims of a test caller: a clinician or nurse names a seeded provider unless told otherwise. */
function claimsOf(caller: TestCaller, providers: readonly string[]): DevTokenClaims {
  const { provider, ...rest } = caller;
  if (provider === null) return rest;
  if (provider !== undefined) return { ...rest, provider };
  const seeded = caller.role === 'clinician' ? providers[0] : caller.role === 'nurse' ? providers.at(-1) : undefined;
  return seeded === undefined ? rest : { ...rest, provider: seeded };
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

export interface TestPlatformOptions {
  readonly patients?: number;
  readonly seed?: number;
  readonly revenueCycle?: boolean;
  readonly reports?: ReportsConfig;
  readonly production?: boolean;
}

/**
 * Starts the whole platform (both subgraphs and the gateway, over HTTP on free ports) on a fresh
 * database, seeded with a deterministic synthetic practice.
 */
export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const database = await freshDatabase();
  const logs: Array<Record<string, unknown>> = [];
  const signingKey = await generateDevSigningKey();
  const token: TestPlatform['token'] = (claims, options = {}) =>
    issueDevToken(signingKey, claims, {
      issuer: options.issuer ?? TOKEN_ISSUER,
      audience: options.audience ?? TOKEN_AUDIENCE,
      ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    });
  try {
    const platform = await startPlatform({
      verifyToken: createTokenVerifier({
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        keys: { kind: 'local', publicJwk: signingKey.publicJwk },
      }),
      internalKey: new InternalTokenKey(randomBytes(32)),
      keyring: generateFieldKeyring('test'),
      database: database.kind === 'server' ? { url: database.url } : { pglite: database.pglite },
      ports: { gateway: 0, pms: 0, ehr: 0 },
      host: '127.0.0.1',
      // Without the seeded revenue cycle unless asked: the tests document and bill seeded visits themselves.
      seedIfEmpty: { patients: options.patients ?? 120, seed: options.seed ?? 42, revenueCycle: options.revenueCycle ?? false },
      // As in production unless a test asks for the development mode (`NODE_ENV` other than production).
      production: options.production ?? true,
      ...(options.reports ? { reports: options.reports } : {}),
      logLevel: 'debug',
      logSink: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    });
    const owner = createDatabase<unknown>({
      target:
        database.kind === 'server' ? { kind: 'server', url: database.url, poolSize: 2 } : { kind: 'embedded', pglite: database.pglite },
      applicationName: 'test-owner',
    });
    const { rows: providerRows } = await sql<{ id: string }>`select id from pms.provider order by id`.execute(owner.db);
    const providers = providerRows.map((r) => r.id);
    return {
      ...platform,
      database,
      logs,
      owner,
      providers,
      token,
      async query(query, variables, options = {}) {
        const as = options.as === undefined ? { role: 'clinician' as const } : options.as;
        const auth: Record<string, string> = as === null ? {} : { authorization: `Bearer ${await token(claimsOf(as, providers))}` };
        return postGraphQL(platform.gatewayUrl, query, variables, { ...auth, ...options.headers });
      },
      async stop() {
        await platform.stop();
        await owner.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/**
 * {@link startTestPlatform} with the EHR's outbox relay not polling in the background
 * (`OUTBOX_POLL_MS=0`): the test relays the events itself, one pass at a time (`relayOutboxOnce`).
 */
export async function startTestPlatformRelayingByHand(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  vi.stubEnv('OUTBOX_POLL_MS', '0');
  try {
    return await startTestPlatform(options);
  } finally {
    vi.unstubAllEnvs();
  }
}

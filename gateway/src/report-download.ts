import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { isExpectedCode, sendJson, type Logger, type RouteHandler } from '@chartbridge/kit';
import type { GatewayContext } from './gateway-server.js';

// `GET /reports/<kind>.csv?from=...&to=...`: the revenue-cycle reports as CSV files. Each download
// is the report's GraphQL query, run through the gateway's own Apollo pipeline as if it had been
// posted to /graphql with the caller's headers: the same token check, purpose of use, request
// limits, early policy refusal, subgraph call and audit record (its operation name says which
// download). The PMS writes the CSV (the reports' `csv` fields), so a download and the API never
// disagree. Query parameters are the GraphQL arguments by name; anything else is refused.

const ENUMS = ['ArAgingGroupBy', 'ArAgingBucket', 'RevenueCycleKpi', 'TrendInterval', 'ComplianceReportRule'] as const;
type ParamType = 'Date' | 'ID' | 'Int' | 'Boolean' | 'String' | (typeof ENUMS)[number];
const isEnum = (type: ParamType): boolean => (ENUMS as readonly string[]).includes(type);

interface Download {
  /** The GraphQL operation name, as the audit trail records it. */
  readonly operation: string;
  /** The `RevenueCycle` field and what to select under it (`csv` somewhere, maybe `pageInfo`). */
  readonly field: string;
  readonly selection: string;
  /** Where the CSV and the page state are under the field's result. */
  readonly csvAt: readonly string[];
  readonly params: Readonly<Record<string, ParamType>>;
  /** Parameters without which the query cannot be valid GraphQL (others are the report's to check). */
  readonly required?: readonly string[];
  /** Arguments that belong to a nested field (a connection's page), not the report's. */
  readonly pageParams?: boolean;
}

const PERIOD = { from: 'Date', to: 'Date' } as const;
const FILTERS = { payerId: 'ID', providerId: 'ID', locationId: 'ID' } as const;
const PAGE = { first: 'Int', after: 'String' } as const;

/** The downloads, by file name. */
export const REPORT_DOWNLOADS: Readonly<Record<string, Download>> = {
  kpis: { operation: 'RevenueCycleKpisCsv', field: 'kpis', selection: '{ csv }', csvAt: [], params: { ...PERIOD, ...FILTERS } },
  'ar-aging': {
    operation: 'RevenueCycleArAgingCsv',
    field: 'arAging',
    selection: '{ csv }',
    csvAt: [],
    params: { asOf: 'Date', groupBy: 'ArAgingGroupBy', ...FILTERS },
  },
  denials: { operation: 'RevenueCycleDenialsCsv', field: 'denials', selection: '{ csv }', csvAt: [], params: { ...PERIOD, ...FILTERS } },
  'payer-mix': {
    operation: 'RevenueCyclePayerMixCsv',
    field: 'payerMix',
    selection: '{ csv }',
    csvAt: [],
    params: { ...PERIOD, providerId: 'ID', locationId: 'ID' },
  },
  'provider-productivity': {
    operation: 'RevenueCycleProviderProductivityCsv',
    field: 'providerProductivity',
    selection: '{ csv }',
    csvAt: [],
    params: { ...PERIOD, providerId: 'ID', locationId: 'ID' },
  },
  trend: {
    operation: 'RevenueCycleTrendCsv',
    field: 'trend',
    selection: '{ csv }',
    csvAt: [],
    params: { kpi: 'RevenueCycleKpi', ...PERIOD, interval: 'TrendInterval', ...FILTERS },
    required: ['kpi'],
  },
  'compliance-summary': {
    operation: 'RevenueCycleComplianceSummaryCsv',
    field: 'complianceReport',
    selection: '{ csv }',
    csvAt: [],
    params: { ...PERIOD, rule: 'ComplianceReportRule', ...FILTERS },
  },
  compliance: {
    operation: 'RevenueCycleComplianceFindingsCsv',
    field: 'complianceReport',
    selection: '{ findings(first: $first, after: $after) { csv pageInfo { hasNextPage endCursor } } }',
    csvAt: ['findings'],
    params: { ...PERIOD, rule: 'ComplianceReportRule', ...FILTERS, ...PAGE },
    pageParams: true,
  },
  claims: {
    operation: 'RevenueCycleClaimsCsv',
    field: 'claims',
    selection: '{ csv pageInfo { hasNextPage endCursor } }',
    csvAt: [],
    params: { asOf: 'Date', ...PERIOD, inAr: 'Boolean', agingBucket: 'ArAgingBucket', ...FILTERS, ...PAGE },
  },
};

/** The GraphQL document of a download: every parameter a variable, each passed to the field that takes it. */
export function downloadQuery(download: Download): string {
  const names = Object.keys(download.params);
  const variables = names.map((name) => `$${name}: ${download.params[name]}${download.required?.includes(name) ? '!' : ''}`).join(', ');
  const fieldArgs = names
    .filter((name) => !(download.pageParams && name in PAGE))
    .map((name) => `${name}: $${name}`)
    .join(', ');
  return `query ${download.operation}(${variables}) { revenueCycle { ${download.field}(${fieldArgs}) ${download.selection} } }`;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

/** A refusal as JSON: the code, its message when the code is one clients may read, the argument at fault. No stack, no internals. */
function sendError(res: ServerResponse, status: number, error: ErrorBody): void {
  sendJson(res, status, {
    error: {
      code: error.code,
      message: isExpectedCode(error.code) ? error.message : 'Unexpected error',
      ...(error.field ? { field: error.field } : {}),
    },
  });
}

class DownloadInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The query string as GraphQL variables: only the download's parameters, each once, typed. */
export function downloadVariables(download: Download, search: URLSearchParams): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of new Set(search.keys())) {
    const type = download.params[name];
    if (!type)
      throw new DownloadInputError(`Unknown parameter ${name}; this report takes ${Object.keys(download.params).join(', ')}`, name);
    const values = search.getAll(name);
    if (values.length > 1) throw new DownloadInputError(`${name} is given more than once`, name);
    const value = values[0] ?? '';
    if (type === 'Int') {
      if (!/^\d{1,6}$/.test(value)) throw new DownloadInputError(`${name} must be a whole number`, name);
      variables[name] = Number(value);
    } else if (type === 'Boolean') {
      if (value !== 'true' && value !== 'false') throw new DownloadInputError(`${name} must be true or false`, name);
      variables[name] = value === 'true';
    } else {
      // Enum values are upper case in GraphQL; a URL may write them in any case.
      variables[name] = isEnum(type) ? value.toUpperCase() : value;
    }
  }
  for (const name of download.required ?? []) {
    if (variables[name] === undefined) throw new DownloadInputError(`${name} is required`, name);
  }
  return variables;
}

function dig(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

/** The caller's headers that decide who is asking and why, forwarded to the pipeline as they came. */
const FORWARDED_HEADERS = ['authorization', 'x-purpose-of-use', 'x-break-glass-reason', 'x-client-name'] as const;

export interface ReportDownloadOptions {
  readonly apollo: ApolloServer<GatewayContext>;
  /** The gateway's own request context builder (authentication and its audit). */
  readonly context: (req: IncomingMessage, requestId: string) => Promise<GatewayContext>;
  readonly logger: Logger;
}

function downloadRoute(kind: string, download: Download, options: ReportDownloadOptions): RouteHandler {
  const query = downloadQuery(download);
  return async (req, res, requestId) => {
    if (req.method !== 'GET') {
      res.setHeader('allow', 'GET');
      return sendError(res, 405, { code: 'BAD_REQUEST', message: 'Reports are downloaded with GET' });
    }
    let variables: Record<string, unknown>;
    try {
      variables = downloadVariables(download, new URL(req.url ?? '/', 'http://localhost').searchParams);
    } catch (error) {
      if (!(error instanceof DownloadInputError)) throw error;
      return sendError(res, 400, { code: 'BAD_USER_INPUT', message: error.message, field: error.field });
    }
    const headers = new HeaderMap([['content-type', 'application/json']]);
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const result = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables, operationName: download.operation } },
      context: () => options.context(req, requestId),
    });
    if (result.body.kind !== 'complete') {
      options.logger.error('report.download_failed', { requestId, operation: download.operation, code: 'INCREMENTAL_RESPONSE' });
      return sendError(res, 500, { code: 'INTERNAL_SERVER_ERROR', message: '' });
    }
    const body = JSON.parse(result.body.string) as {
      data?: unknown;
      errors?: ReadonlyArray<{ message?: string; extensions?: Record<string, unknown> }>;
    };
    const [first] = body.errors ?? [];
    if (first) {
      const code = typeof first.extensions?.['code'] === 'string' ? first.extensions['code'] : 'INTERNAL_SERVER_ERROR';
      const field = typeof first.extensions?.['field'] === 'string' ? first.extensions['field'] : undefined;
      const status = STATUS_BY_CODE[code] ?? (result.status && result.status >= 400 ? result.status : 500);
      return sendError(res, status, { code, message: first.message ?? '', ...(field ? { field } : {}) });
    }
    const at = dig(body.data, ['revenueCycle', download.field, ...download.csvAt]);
    const csv = dig(at, ['csv']);
    if (typeof csv !== 'string') {
      options.logger.error('report.download_failed', { requestId, operation: download.operation, code: 'NO_CSV' });
      return sendError(res, 500, { code: 'INTERNAL_SERVER_ERROR', message: '' });
    }
    const next = dig(at, ['pageInfo', 'hasNextPage']) === true ? dig(at, ['pageInfo', 'endCursor']) : undefined;
    const stamp = [variables['from'] ?? variables['asOf'], variables['to']].filter(
      (v): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
    );
    res.statusCode = 200;
    res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('content-disposition', `attachment; filename="${[kind, ...stamp].join('_')}.csv"`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    // A page of a list: the cursor of the next one, for `after`.
    if (typeof next === 'string') res.setHeader('x-next-cursor', next);
    res.setHeader('content-length', Buffer.byteLength(csv));
    res.end(csv);
  };
}

/** The `/reports/<kind>.csv` routes of the gateway's HTTP server. */
export function reportDownloadRoutes(options: ReportDownloadOptions): Record<string, RouteHandler> {
  return Object.fromEntries(
    Object.entries(REPORT_DOWNLOADS).map(([kind, download]) => [`/reports/${kind}.csv`, downloadRoute(kind, download, options)]),
  );
}

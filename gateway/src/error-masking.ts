import { MASKED_MESSAGE, isExpectedCode, type Logger } from '@chartbridge/kit';
import type { GraphQLFormattedError } from 'graphql';
import { SUBGRAPH_UNAVAILABLE } from './subgraph-fetcher.js';

// The only extensions a client sees; anything else a subgraph attached stays inside.
const PUBLIC_EXTENSIONS = ['code', 'field', 'typename', 'serviceName'] as const;

function publicExtensions(extensions: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of PUBLIC_EXTENSIONS) if (extensions?.[key] !== undefined) out[key] = extensions[key];
  return out;
}

/**
 * The gateway's error formatter, masking always (not only in production): expected errors keep
 * their message, code and input field; a subgraph that could not be reached is named; anything
 * else is "Unexpected error" with `INTERNAL_SERVER_ERROR`. No stack traces, no internal extensions.
 */
export function gatewayErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const extensions = formatted.extensions;
    const code = extensions?.['code'];
    const location = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    // A document that does not parse is as invalid as one that does not validate; the API has one
    // code for both (docs/API-CONVENTIONS.md, "Error codes").
    if (code === 'GRAPHQL_PARSE_FAILED')
      return { message: formatted.message, ...location, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    if (isExpectedCode(code)) return { message: formatted.message, ...location, extensions: publicExtensions(extensions) };
    const serviceName = typeof extensions?.['serviceName'] === 'string' ? extensions['serviceName'] : undefined;
    if (extensions?.['reason'] === SUBGRAPH_UNAVAILABLE && serviceName) {
      logger.warn('subgraph.unavailable', { service: serviceName });
      return { message: formatted.message, ...location, extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName } };
    }
    logger.error('graphql.unexpected_error', {
      code: typeof code === 'string' ? code : undefined,
      ...(serviceName ? { service: serviceName } : {}),
    });
    return {
      message: MASKED_MESSAGE,
      ...location,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(serviceName ? { serviceName } : {}) },
    };
  };
}

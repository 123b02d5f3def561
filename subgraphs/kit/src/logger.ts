import { pino, stdTimeFunctions, type DestinationStream } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Fields a log line may carry. Deliberately no free-form payload: logs must never hold PHI. */
export interface LogFields {
  readonly requestId?: string;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly ms?: number;
  readonly operation?: string | null;
  readonly url?: string;
  readonly code?: string;
  readonly errorName?: string;
  readonly service?: string;
  /** Which run of a retried piece of work failed (1-based). */
  readonly attempt?: number;
  /** A long piece of work's step, a fixed name (`reports backfill: claims`), and how far it is. */
  readonly step?: string;
  readonly done?: number;
  readonly total?: number;
  /** A database pool, by its fixed application_name (`chartbridge-pms-audit`). */
  readonly pool?: string;
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Where log lines go, one JSON object per call and without the newline; stdout unless a test captures them. */
export type LogSink = (line: string) => void;

const stdout: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * Keys whose values could be PHI or a secret. {@link LogFields} has none of them: this is the second
 * line of defence, for the day someone passes a header bag, a GraphQL request or a patient row
 * through a cast. Request bodies, queries and variables are on it because they carry the caller's
 * search terms and ids; `headers` because it carries the bearer token and the break-the-glass reason.
 */
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'headers',
  'x-break-glass-reason',
  'breakGlassReason',
  'token',
  'internalToken',
  'password',
  'secret',
  'body',
  'query',
  'variables',
  'ssn',
  'mrn',
  'name',
  'givenNames',
  'familyName',
  'birthDate',
  'email',
  'phone',
  'address',
] as const;

// At the top level and one level down (`{ req: { headers } }`): pino's `*` stands for exactly one
// key. Keys with a hyphen need pino's bracket form.
const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) => (key.includes('-') ? [`["${key}"]`, `*["${key}"]`] : [key, `*.${key}`]));

/**
 * A JSON-lines logger on pino. Each line is one object: `level` (the label, `info`), `time`
 * (ISO 8601), `service`, `event` and the fields; `fields.service` names another service when the
 * line is about it. Events and fields are fixed names and ids, never request data; values under a
 * sensitive key are written as `[REDACTED]` anyway. `silent` writes nothing.
 */
export function createLogger(service: string, level: LogLevel, sink: LogSink = stdout): Logger {
  const destination: DestinationStream = {
    write: (line) => sink(line.endsWith('\n') ? line.slice(0, -1) : line),
  };
  const log = pino(
    {
      level,
      // No pid or hostname: a line says what happened, the platform's collector says where.
      base: null,
      messageKey: 'event',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    },
    destination,
  );
  const write =
    (at: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: LogFields = {}) => {
      log[at]({ service, ...fields }, event);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

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
}

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** A JSON-lines logger on stdout. Events and fields are fixed names and ids, never request data. */
export function createLogger(service: string, level: LogLevel): Logger {
  const write = (at: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (ORDER[at] < ORDER[level]) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: at, service, event, ...fields })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

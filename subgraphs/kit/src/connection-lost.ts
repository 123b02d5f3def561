import type { Logger } from './logger.js';

/**
 * An `onConnectionLost` for a service's pools: logs `db.connection_lost` with the pool's name and the
 * server's error code (57P01 when an administrator or a shutdown ended it), nothing of any statement.
 */
export function logConnectionLost(logger: Logger): (code: string | null, pool: string) => void {
  return (code, pool) => logger.warn('db.connection_lost', code === null ? { pool } : { pool, code });
}

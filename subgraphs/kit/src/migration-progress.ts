import { migrationProgressOf } from '@chartbridge/db';
import type { Logger } from './logger.js';

/** Least time between two `migration.progress` lines of one step; its last batch is always logged. */
const EVERY_MS = 2000;

/**
 * An `onNotice` for the connection that runs the migrations: logs a long migration's progress
 * (`migration.progress` with the step and its counts, at most every 2 s a step, and when a step ends)
 * and ignores every other notice.
 */
export function logMigrationProgress(logger: Logger, now: () => number = () => performance.now()): (notice: string) => void {
  const lastLogged = new Map<string, number>();
  return (notice) => {
    const progress = migrationProgressOf(notice);
    if (!progress) return;
    const at = now();
    const last = lastLogged.get(progress.step);
    if (progress.done < progress.total && last !== undefined && at - last < EVERY_MS) return;
    lastLogged.set(progress.step, at);
    logger.info('migration.progress', { step: progress.step, done: progress.done, total: progress.total });
  };
}

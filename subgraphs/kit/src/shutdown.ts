import type { Logger } from './logger.js';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits: 0 when it finished, 1 when it failed or took
 * longer than `graceMs` (a stuck connection must not keep a replaced process alive forever).
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = 15_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutdown.start', { code: signal });
    const timer = setTimeout(() => {
      logger.error('shutdown.timeout');
      process.exit(1);
    }, graceMs);
    timer.unref();
    stop().then(
      () => {
        logger.info('shutdown.done');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown.failed', { errorName: error instanceof Error ? error.name : 'unknown' });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

import { describe, expect, test } from 'vitest';
import type { Logger } from './logger.js';
import { logMigrationProgress } from './migration-progress.js';

describe('logMigrationProgress', () => {
  test('logs a step when it starts, then at most every 2 s, and always when it ends; other notices not at all', () => {
    const lines: unknown[] = [];
    const logger: Logger = { debug: () => {}, info: (event, fields) => lines.push({ event, ...fields }), warn: () => {}, error: () => {} };
    let now = 0;
    const log = logMigrationProgress(logger, () => now);
    log('relation "x" already exists, skipping');
    for (const [at, done] of [
      [0, 5000],
      [1000, 10000],
      [1999, 15000],
      [2100, 20000],
      [2500, 25000],
      [2600, 27500],
    ] as const) {
      now = at;
      log(`chartbridge progress: reports backfill: claims ${done} of 27500`);
    }
    now = 2700;
    log('chartbridge progress: reports backfill: encounters 20000 of 40000');
    expect(lines).toEqual([
      { event: 'migration.progress', step: 'reports backfill: claims', done: 5000, total: 27500 },
      { event: 'migration.progress', step: 'reports backfill: claims', done: 20000, total: 27500 },
      { event: 'migration.progress', step: 'reports backfill: claims', done: 27500, total: 27500 },
      { event: 'migration.progress', step: 'reports backfill: encounters', done: 20000, total: 40000 },
    ]);
  });
});

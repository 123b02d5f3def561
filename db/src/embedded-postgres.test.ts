import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EmbeddedDatabaseBusyError, openEmbeddedPostgres } from './embedded-postgres.js';

describe('the embedded database folder', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chartbridge-pglite-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('refuses a second opener while a live process holds it', async () => {
    // A live process other than this one: a sleeping child.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(join(dir, 'chartbridge.lock'), String(holder.pid));
      await expect(openEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(EmbeddedDatabaseBusyError);
    } finally {
      holder.kill();
    }
  });

  test('takes over a lock left by a process that is gone, and releases it on close', async () => {
    await writeFile(join(dir, 'chartbridge.lock'), '999999999');
    const pglite = await openEmbeddedPostgres({ dataDir: dir });
    await expect(pglite.query('select 1 as one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await pglite.close();
    const again = await openEmbeddedPostgres({ dataDir: dir });
    await again.close();
  });
});

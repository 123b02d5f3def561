import { defineConfig } from 'vitest/config';

// Test files share embedded PGlite instances or one PostgreSQL server; on two cores, running the
// files one after another is both faster and free of cross-file interference.
export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});

import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Test files share embedded PGlite instances or one PostgreSQL server; on two cores, running the
// files one after another is both faster and free of cross-file interference.
export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for everyone (graphql 16 has no "exports" map); Vite would
    // pick its ES build for our code while the CommonJS Apollo packages load the other, and graphql
    // refuses schemas "from another module or realm". One copy, as in production.
    alias: { graphql: createRequire(import.meta.url).resolve('graphql') },
  },
  test: {
    include: ['**/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});

import { defineConfig } from 'vitest/config'

/**
 * The fault suite (`npm run test:faults`, FAULTS=short for the quick version CI runs): split
 * roles as processes against a PostgreSQL and a Redis of its own, which it restarts and
 * flushes. Not one of `npm test`'s projects: it is slow and needs the PostgreSQL binaries.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.test.ts'],
    testTimeout: 420_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    env: { PAPERBOY_TEST_DATABASE: 'postgres' },
  },
})

import { defineConfig } from 'vitest/config'

/**
 * Every test file that touches the database runs twice, once per project: against
 * PostgreSQL and against the embedded PGlite a fresh clone starts with. Files in
 * test/integration/postgres/ need several processes or connections on one database, which
 * only a server allows; files in test/integration/embedded/ are about the embedded
 * defaults themselves.
 */
const onBothDatabases = ['test/integration/*.test.ts']

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each create their own database and queue prefix, so they may run side by side.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/unit/**/*.test.ts', 'test/integration/sources/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [
            ...onBothDatabases,
            'test/integration/postgres/**/*.test.ts',
            'test/e2e/**/*.test.ts',
          ],
          env: { PAPERBOY_TEST_DATABASE: 'postgres' },
        },
      },
      {
        extends: true,
        test: {
          name: 'pglite',
          include: [...onBothDatabases, 'test/integration/embedded/**/*.test.ts'],
          env: { PAPERBOY_TEST_DATABASE: 'pglite' },
        },
      },
    ],
  },
})

import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { type Database, type DatabaseHandle, openDatabase } from '../../services/db/client.js'

/** The server every PostgreSQL test uses; CI starts it before `npm test`. */
export const TEST_POSTGRES =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export type TestDatabaseKind = 'postgres' | 'pglite'

/**
 * Which database this run of the suite tests against. vitest.config.ts runs the files that
 * touch the database once per kind (the `postgres` and `pglite` projects), so the embedded
 * default is held to everything PostgreSQL is.
 */
export const TEST_DATABASE_KIND: TestDatabaseKind = kindFrom(process.env.PAPERBOY_TEST_DATABASE)

function kindFrom(value: string | undefined): TestDatabaseKind {
  if (value === undefined || value === 'postgres') return 'postgres'
  if (value === 'pglite') return 'pglite'
  throw new Error(`PAPERBOY_TEST_DATABASE must be postgres or pglite (got "${value}")`)
}

export interface TestDatabase {
  readonly kind: TestDatabaseKind
  /**
   * What a Paperboy process needs in its environment to use this database: `DATABASE_URL`
   * for PostgreSQL; for PGlite no `DATABASE_URL` and a `DATA_DIR` of its own.
   */
  readonly env: { readonly DATABASE_URL: string | undefined; readonly DATA_DIR?: string }
  /** The PostgreSQL URL; only tests in test/integration/postgres/ may rely on it. */
  readonly url: string
  drop(): Promise<void>
}

/** A database of its own for one test file, of this run's kind, so files can run side by side. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  return TEST_DATABASE_KIND === 'pglite' ? createPgliteDatabase() : createPostgresDatabase(label)
}

async function createPgliteDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paperboy-pglite-'))
  return {
    kind: 'pglite',
    // An explicit undefined overrides any DATABASE_URL the test's environment has.
    env: { DATABASE_URL: undefined, DATA_DIR: dataDir },
    get url(): string {
      throw new Error('an embedded test database has no URL: open it through its DATA_DIR')
    },
    async drop() {
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function createPostgresDatabase(label: string): Promise<TestDatabase> {
  const name = `paperboy_test_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_POSTGRES })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(TEST_POSTGRES)
  url.pathname = `/${name}`
  return {
    kind: 'postgres',
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}

/** Opens a test database the way a Paperboy process would. */
export function openTestDatabase(database: TestDatabase): Promise<DatabaseHandle> {
  return openDatabase({
    databaseUrl: database.env.DATABASE_URL,
    dataDir: database.env.DATA_DIR ?? '',
  })
}

/**
 * For one test file: a database of its own with every migration applied, opened before its
 * tests (and filled by `seed`) and dropped after them. Read `db` inside tests.
 */
export function migratedTestDatabase(
  label: string,
  seed?: (db: Database) => Promise<void>,
): { readonly db: Database; readonly kind: TestDatabaseKind } {
  let database: TestDatabase | undefined
  let handle: DatabaseHandle | undefined
  beforeAll(async () => {
    database = await createTestDatabase(label)
    handle = await openTestDatabase(database)
    await handle.migrate()
    await seed?.(handle.db)
  })
  afterAll(async () => {
    await handle?.close()
    await database?.drop()
  })
  return {
    get db() {
      if (handle === undefined) throw new Error(`the ${label} database has not started`)
      return handle.db
    },
    kind: TEST_DATABASE_KIND,
  }
}

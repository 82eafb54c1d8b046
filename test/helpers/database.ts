import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll } from 'vitest'
import { type Database, type DatabaseHandle, openDatabase } from '../../services/db/client.js'

/** The server every integration test uses; CI starts it before `npm test`. */
export const TEST_POSTGRES =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export interface TestDatabase {
  readonly url: string
  drop(): Promise<void>
}

/** A database of its own for one test file, so files can run side by side. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
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

/**
 * For one test file: a database of its own with every migration applied, opened before its
 * tests (and filled by `seed`) and dropped after them. Read `db` inside tests.
 */
export function migratedTestDatabase(
  label: string,
  seed?: (db: Database) => Promise<void>,
): { readonly db: Database } {
  let database: TestDatabase | undefined
  let handle: DatabaseHandle | undefined
  beforeAll(async () => {
    database = await createTestDatabase(label)
    handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
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
  }
}

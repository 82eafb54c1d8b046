import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { lockDataDir } from '../data-dir-lock.js'
import * as schema from './schema/index.js'

export type Schema = typeof schema
/** Either driver: node-postgres against a real server, or PGlite embedded in the process. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>

export interface DatabaseHandle {
  readonly db: Database
  readonly kind: 'postgres' | 'pglite'
  /** Applies every migration in migrations/, serialised across processes. */
  migrate(): Promise<void>
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>
  close(): Promise<void>
}

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url))
/** Any constant shared by every Paperboy process; keeps two starting processes from migrating at once. */
const MIGRATION_LOCK_KEY = 7_351_092_118

export async function openDatabase(options: {
  databaseUrl: string | undefined
  dataDir: string
  poolSize?: number
  /** What this process is (`paperboy serve`), named to any other that finds DATA_DIR held. */
  holder?: string
}): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(options.dataDir, options.holder ?? 'paperboy')
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const { default: pg } = await import('pg')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { migrate } = await import('drizzle-orm/node-postgres/migrator')
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {})
  // Nor one checked out, say inside a transaction: the pool's listener covers idle clients
  // only, and the query that was running fails on its own (the request answers 500, the job
  // retries), so the event carries nothing more to handle.
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = drizzle(pool, { schema })
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const client = await pool.connect()
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        await migrate(drizzle(client, { schema }), { migrationsFolder })
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
        client.release()
      }
    },
    async ping() {
      await pool.query('SELECT 1')
    },
    async close() {
      await pool.end()
    },
  }
}

/** Opens PGlite only under DATA_DIR's lock: a directory another live process holds is refused. */
async function openPglite(dataDir: string, holder: string): Promise<DatabaseHandle> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { drizzle } = await import('drizzle-orm/pglite')
  const { migrate } = await import('drizzle-orm/pglite/migrator')
  const lock = await lockDataDir(dataDir, holder)
  let client: InstanceType<typeof PGlite>
  try {
    const dir = join(resolve(dataDir), 'pglite')
    mkdirSync(dir, { recursive: true })
    client = await PGlite.create(dir)
  } catch (error) {
    lock.release()
    throw error
  }
  const db = drizzle(client, { schema })
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migrate(db, { migrationsFolder })
    },
    async ping() {
      await client.query('SELECT 1')
    },
    async close() {
      try {
        await client.close()
      } finally {
        lock.release()
      }
    },
  }
}

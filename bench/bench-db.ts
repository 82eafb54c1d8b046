import { randomBytes } from 'node:crypto'
import pg from 'pg'

// A throwaway PostgreSQL database per run: created at the start, dropped at the end (also
// when the run fails or is interrupted), so runs never see each other's data.

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const INT8 = 20

/** bigint columns as numbers: ids stay far below 2⁵³, and strings would cost a parse each. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8
      ? Number
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
}

export interface BenchDatabase {
  readonly name: string
  readonly url: string
  readonly client: pg.Client
  drop(): Promise<void>
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  const name = `paperboy_bench_${randomBytes(4).toString('hex')}`
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString(), types })
  let dropped = false
  const drop = async (): Promise<void> => {
    if (dropped) return
    dropped = true
    await client.end().catch(() => {})
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
  try {
    await client.connect()
  } catch (e) {
    await drop()
    throw e
  }
  return { name, url: url.toString(), client, drop }
}

/** Rows as parallel column arrays, inserted in one statement through unnest(). */
export async function insertColumns(
  client: pg.Client,
  table: string,
  columns: readonly [name: string, type: string][],
  values: readonly unknown[][],
): Promise<void> {
  const names = columns.map(([n]) => n).join(', ')
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
  await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`, [...values])
}

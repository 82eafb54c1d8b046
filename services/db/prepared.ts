import type { SQL } from 'drizzle-orm'
import { PgDialect, type PgPreparedQuery, type PreparedQueryConfig } from 'drizzle-orm/pg-core'
import type { Database } from './client.js'

const dialect = new PgDialect()
let statements = 0

/**
 * A statement built once and run as a named prepared statement, its values given per run
 * through `sql.placeholder()`s; the result is what db.execute() would give. PostgreSQL parses
 * and plans a statement sent without a name every time it runs, and the statements run once
 * per digest are large: planning them was most of the database's work per email (and
 * building and printing the SQL a share of the worker's). Named, each connection parses a
 * statement once, and PostgreSQL switches to one generic plan after five runs when that plan
 * costs no more than the custom ones. PGlite, in-process, ignores the
 * name and plans each run, as before.
 */
export function preparedStatement(
  build: () => SQL,
): (db: Database, values: Record<string, unknown>) => Promise<unknown> {
  const name = `paperboy_${++statements}`
  const byDatabase = new WeakMap<Database, PgPreparedQuery<PreparedQueryConfig>>()
  return (db, values) => {
    let prepared = byDatabase.get(db)
    if (prepared === undefined) {
      prepared = db._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, name, false)
      byDatabase.set(db, prepared)
    }
    return prepared.execute(values)
  }
}

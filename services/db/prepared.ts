import type { SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import type { Database } from './client.js'

const dialect = new PgDialect()
/** Statement text → its name. A handful of texts in practice; past the cap, unnamed. */
const names = new Map<string, string>()
const MAX_NAMED = 64

/**
 * Runs `query` as a named prepared statement, with the result db.execute() would give.
 * PostgreSQL parses and plans a statement sent without a name every time it runs, and the
 * statements run once per digest are large: planning them was most of the database's work
 * per email. Named, each connection plans a statement once (and keeps a generic plan after
 * five runs). Only for statements whose text does not depend on the data: every distinct
 * text gets its own name.
 */
export async function executePrepared(db: Database, query: SQL): Promise<unknown> {
  const rendered = dialect.sqlToQuery(query)
  let name = names.get(rendered.sql)
  if (name === undefined && names.size < MAX_NAMED) {
    name = `paperboy_${names.size + 1}`
    names.set(rendered.sql, name)
  }
  return db._.session.prepareQuery(rendered, undefined, name, false).execute()
}

/**
 * The rows of a raw `db.execute` or of a prepared statement's run. Both drivers answer
 * `{ rows }`; the row type is what the statement selects, as the driver returns it (bigint
 * and numeric columns may come back as strings).
 */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows
}

/** How many rows a raw UPDATE or DELETE changed: node-postgres says rowCount, PGlite affectedRows. */
export function affectedRowsOf(result: unknown): number {
  const counts = result as { rowCount?: number | null; affectedRows?: number }
  return counts.rowCount ?? counts.affectedRows ?? 0
}

/** Why an interest line was rejected, and where (1-based column, in characters). */
export interface QueryError {
  readonly column: number
  readonly reason: string
  /** What to show the subscriber: `${reason} at ${column}`, or just the reason for line-wide problems. */
  readonly message: string
}

export function errorAt(column: number, reason: string): QueryError {
  return { column, reason, message: `${reason} at ${column}` }
}

/** A problem with the line as a whole (too long, empty), where a column would only distract. */
export function lineError(column: number, reason: string): QueryError {
  return { column, reason, message: reason }
}

/** Carries a QueryError out of the recursive descent; never escapes the module. */
export class QueryFailure extends Error {
  override name = 'QueryFailure'
  constructor(readonly error: QueryError) {
    super(error.message)
  }
}

export function fail(column: number, reason: string): never {
  throw new QueryFailure(errorAt(column, reason))
}

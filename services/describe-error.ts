import { DrizzleQueryError } from 'drizzle-orm/errors'

/**
 * The error to report for a failure. drizzle wraps every database error as
 * `Failed query: <SQL>\nparams: <values>` and keeps the database's own message in `cause`:
 * that message says what went wrong, while the SQL says little and its parameters (email
 * addresses among them) belong in neither a log nor a stored job.
 */
export function explainError(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError) || !(error.cause instanceof Error)) return error
  const explained = new Error(error.cause.message)
  // Where the statement was issued from, without the statement.
  const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '))
  explained.stack = [`Error: ${explained.message}`, ...frames].join('\n')
  return explained
}

/** One line saying what went wrong, for a terminal. */
export function describeError(error: unknown): string {
  const explained = explainError(error)
  const message = explained instanceof Error ? explained.message : String(explained)
  return message.split('\n')[0] ?? message
}

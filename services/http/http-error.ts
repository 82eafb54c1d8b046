/**
 * A request the HTTP layer refuses with a 4xx status. Thrown from a route, it reaches the one
 * error handler (plugins/errors.ts), which answers with its status and message: JSON for the
 * API, a page for people.
 */
export class HttpError extends Error {
  override name = 'HttpError'
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message)
  }
}

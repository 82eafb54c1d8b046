/**
 * Whether a failed statement failed because the database could not be reached or went away
 * (a restart, a failover, a dropped connection), rather than because of what it asked: only
 * then may the same statement succeed if it is simply tried again later.
 */
export function isConnectionLost(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') {
      // SQLSTATE class 08 (connection exception); 57P01–57P03: the server is shutting down,
      // crashed or not yet accepting connections.
      if (code.startsWith('08') || /^57P0[1-3]$/.test(code)) return true
      if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true
    }
    if (
      /Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(
        current.message,
      )
    )
      return true
  }
  return false
}

import type { Database } from '../db/client.js'
import { pruneMatches } from '../db/repositories/matching.js'

/**
 * How long line and topic matches wait for the digests that will claim them. A weekly digest
 * needs a week; the rest covers a month of digests that could not be sent. Without a limit
 * the two tables would grow by a row per matched line and paper forever.
 */
export const MATCH_RETENTION_DAYS = 35

/**
 * The daily clean-up: line and topic matches older than MATCH_RETENTION_DAYS are dropped,
 * whether or not digests claimed them; what digests carried is kept in `matches`.
 */
export async function runPruneMatches(deps: { db: Database; now: () => Date }) {
  const before = new Date(deps.now().getTime() - MATCH_RETENTION_DAYS * 86_400_000)
  return pruneMatches(deps.db, before)
}

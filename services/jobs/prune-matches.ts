import type { Database } from '../db/client.js'
import { pruneMatches } from '../db/repositories/matching.js'

/**
 * How long line and topic matches wait for a digest to claim them. A weekly digest needs a
 * week; the rest covers a month of digests that could not be sent. Without a limit the two
 * tables would grow by a row per matched line and paper forever.
 */
export const MATCH_RETENTION_DAYS = 35

/** The daily clean-up: matches no digest claimed within MATCH_RETENTION_DAYS are dropped. */
export async function runPruneMatches(deps: { db: Database; now: () => Date }) {
  const before = new Date(deps.now().getTime() - MATCH_RETENTION_DAYS * 86_400_000)
  return pruneMatches(deps.db, before)
}

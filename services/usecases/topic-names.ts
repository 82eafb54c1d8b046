import type { Database } from '../db/client.js'
import { listTopics } from '../db/repositories/topics.js'

/** Topic slug → the name people see. */
export type TopicNames = () => Promise<ReadonlyMap<string, string>>

/** Topic names change only when an operator edits them; an email may show them a minute late. */
const NAMES_TTL_MS = 60_000

/**
 * The topic names, read at most once a minute: every digest and confirmation names topics, and
 * a query for each would be a round trip per email. One per process, made by buildServices.
 */
export function cachedTopicNames(db: Database, ttlMs = NAMES_TTL_MS): TopicNames {
  let cached: { at: number; names: Map<string, string> } | undefined
  return async () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.names
    const names = new Map((await listTopics(db)).map((t) => [t.slug, t.name]))
    cached = { at: Date.now(), names }
    return names
  }
}

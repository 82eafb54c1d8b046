import type { Database } from '../db/client.js'
import { listAllTopics } from '../db/repositories/topics.js'

/** Topic slug → the name people see (retired topics included: past matches still name them). */
export type TopicNames = () => Promise<ReadonlyMap<string, string>>

/** How long a copy serves when no change was heard (a missed announcement is stale this long). */
const NAMES_TTL_MS = 60_000

export interface TopicNamesCache {
  readonly names: TopicNames
  /** Drops the copy: the next call reads the topics again. */
  invalidate(): void
}

/**
 * The topic names, read once and kept until a topic change is announced (see
 * queue/topic-changes.ts) or a minute has passed: every digest and confirmation names topics,
 * and a query for each would be a round trip per email. One per process, made by buildServices.
 */
export function cachedTopicNames(db: Database, ttlMs = NAMES_TTL_MS): TopicNamesCache {
  let cached: { at: number; names: Map<string, string> } | undefined
  // A read that began before an invalidation may finish after it; its answer is not kept.
  let generation = 0
  return {
    async names() {
      if (cached && Date.now() - cached.at < ttlMs) return cached.names
      const started = generation
      const names = new Map((await listAllTopics(db)).map((t) => [t.slug, t.name]))
      if (started === generation) cached = { at: Date.now(), names }
      return names
    },
    invalidate() {
      generation++
      cached = undefined
    },
  }
}

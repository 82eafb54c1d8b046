import { notInArray } from 'drizzle-orm'
import { expect } from 'vitest'
import type { Database } from '../../services/db/client.js'
import { matches, papers, topicMatches } from '../../services/db/schema/index.js'

/**
 * A paper nobody has had and the AI safety topic has not matched, recorded as matched by it
 * at `at`, as the matcher would have; returns its id.
 */
export async function topicMatchAt(db: Database, at: Date): Promise<string> {
  const taken = [
    ...(await db.select().from(topicMatches)).map((t) => t.paperId),
    ...(await db.select().from(matches)).map((m) => m.paperId),
  ]
  const [paper] = await db.select().from(papers).where(notInArray(papers.id, taken)).limit(1)
  expect(paper).toBeDefined()
  const paperId = paper?.id ?? ''
  await db.insert(topicMatches).values({
    topicSlug: 'ai-safety',
    paperId,
    reasons: [{ kind: 'topic', slug: 'ai-safety', line: 'ai safety', words: ['AI safety'] }],
    matchedAt: at,
  })
  return paperId
}

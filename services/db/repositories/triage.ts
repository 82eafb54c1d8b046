import { and, eq } from 'drizzle-orm'
import type { TriagePaper } from '../../domain/triage.js'
import type { Database } from '../client.js'
import { matches, papers } from '../schema/index.js'

/**
 * A paper for a triage page, with the words this subscriber's lines and topics matched in it
 * (none when no digest of theirs carried it). Undefined for an unknown id.
 */
export async function findTriagePaper(
  db: Database,
  paperId: string,
  subscriberId: number,
): Promise<TriagePaper | undefined> {
  const [row] = await db
    .select({
      id: papers.id,
      title: papers.title,
      abstract: papers.abstract,
      authors: papers.authors,
      categories: papers.categories,
      aiKeywords: papers.aiKeywords,
      reasons: matches.reasons,
    })
    .from(papers)
    .leftJoin(matches, and(eq(matches.paperId, papers.id), eq(matches.subscriberId, subscriberId)))
    .where(eq(papers.id, paperId))
  if (!row) return undefined
  const { reasons, ...paper } = row
  return { ...paper, matchedWords: (reasons ?? []).flatMap((r) => r.words) }
}

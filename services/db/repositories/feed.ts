import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { digests, matches, papers, type StoredReason, subscribers } from '../schema/index.js'

export interface DeliveredMatchRow {
  readonly paper: Pick<
    typeof papers.$inferSelect,
    'id' | 'title' | 'abstract' | 'authors' | 'categories' | 'url' | 'publishedAt' | 'updatedAt'
  >
  readonly reasons: StoredReason[]
  readonly deliveredAt: Date
}

/**
 * Digests whose papers count as delivered: sent, or `uncertain` (handed to the SMTP server,
 * most likely received, and never sent again, so the feed is where its papers can still be
 * found).
 */
const DELIVERED = ['sent', 'uncertain'] as const

// An uncertain digest has no sent_at: it went out, if it did, soon after it was opened.
const deliveredAt = sql`coalesce(${digests.sentAt}, ${digests.createdAt})`.mapWith(digests.sentAt)

/** The newest `limit` papers this subscriber's digests carried, newest delivery first. */
export async function deliveredMatches(
  db: Database,
  subscriberId: number,
  limit: number,
): Promise<DeliveredMatchRow[]> {
  return db
    .select({
      paper: {
        id: papers.id,
        title: papers.title,
        abstract: papers.abstract,
        authors: papers.authors,
        categories: papers.categories,
        url: papers.url,
        publishedAt: papers.publishedAt,
        updatedAt: papers.updatedAt,
      },
      reasons: matches.reasons,
      deliveredAt,
    })
    .from(matches)
    .innerJoin(digests, eq(digests.id, matches.digestId))
    .innerJoin(papers, eq(papers.id, matches.paperId))
    .where(and(eq(matches.subscriberId, subscriberId), inArray(digests.status, [...DELIVERED])))
    .orderBy(desc(deliveredAt), asc(papers.id))
    .limit(limit)
}

/** When the subscriber's row was created: the date of a feed that has nothing in it yet. */
export async function subscribedSince(
  db: Database,
  subscriberId: number,
): Promise<Date | undefined> {
  const [row] = await db
    .select({ createdAt: subscribers.createdAt })
    .from(subscribers)
    .where(eq(subscribers.id, subscriberId))
  return row?.createdAt
}

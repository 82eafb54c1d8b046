import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { TRENDING } from '../../domain/seed-topics.js'
import type { Database } from '../client.js'
import {
  digests,
  matches,
  papers,
  type StoredReason,
  subscribers,
  subscriberTopics,
} from '../schema/index.js'

export type DigestRow = typeof digests.$inferSelect

/** How many papers the trending topic adds, and how far back "the latest day" reaches. */
export const TRENDING_COUNT = 10
const TRENDING_WINDOW_MS = 24 * 3600 * 1000

/** The digest of this subscriber and period, created pending the first time it is asked for. */
export async function openDigest(
  db: Database,
  subscriberId: number,
  period: string,
  extra: boolean,
): Promise<DigestRow | undefined> {
  await db.insert(digests).values({ subscriberId, period, extra }).onConflictDoNothing()
  const [row] = await db
    .select()
    .from(digests)
    .where(and(eq(digests.subscriberId, subscriberId), eq(digests.period, period)))
  return row
}

export type ClaimOutcome =
  | { kind: 'sending'; digest: DigestRow }
  | { kind: 'empty' }
  | { kind: 'done'; status: DigestRow['status'] }

/**
 * Moves a pending digest to `sending` in one transaction, attaching every undelivered match
 * (and, for followers of `trending`, the latest day's top papers) to it. Once attached, a
 * match belongs to this digest: no later digest can carry the same paper.
 */
export async function claimDigest(
  db: Database,
  digestId: number,
  now: Date,
): Promise<ClaimOutcome> {
  return db.transaction(async (tx) => {
    const [digest] = await tx.select().from(digests).where(eq(digests.id, digestId)).for('update')
    if (!digest) return { kind: 'done', status: 'failed' }
    if (digest.status !== 'pending') return { kind: 'done', status: digest.status }
    await tx
      .update(matches)
      .set({ digestId })
      .where(and(eq(matches.subscriberId, digest.subscriberId), isNull(matches.digestId)))
    await addTrending(tx as unknown as Database, digest.subscriberId, digestId, now)
    const [count] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(matches)
      .where(eq(matches.digestId, digestId))
    if (!count || count.n === 0) {
      await tx.update(digests).set({ status: 'empty' }).where(eq(digests.id, digestId))
      return { kind: 'empty' }
    }
    const [sending] = await tx
      .update(digests)
      .set({ status: 'sending' })
      .where(eq(digests.id, digestId))
      .returning()
    if (!sending) throw new Error(`digest ${digestId} vanished while being claimed`)
    return { kind: 'sending', digest: sending }
  })
}

/** Followers of `trending` get the latest day's top papers by upvotes that they have not had yet. */
async function addTrending(db: Database, subscriberId: number, digestId: number, now: Date) {
  const [follows] = await db
    .select({ slug: subscriberTopics.topicSlug })
    .from(subscriberTopics)
    .where(
      and(
        eq(subscriberTopics.subscriberId, subscriberId),
        eq(subscriberTopics.topicSlug, TRENDING),
      ),
    )
  if (!follows) return
  const reasons: StoredReason[] = [{ kind: 'topic', slug: TRENDING, words: [] }]
  await db.execute(sql`
    INSERT INTO ${matches} (subscriber_id, paper_id, reasons, digest_id)
    SELECT ${subscriberId}, p.id, ${JSON.stringify(reasons)}::jsonb, ${digestId}
    FROM ${papers} p
    WHERE p.first_seen_at > ${new Date(now.getTime() - TRENDING_WINDOW_MS).toISOString()}::timestamptz
      AND p.first_seen_at <= ${now.toISOString()}::timestamptz
      AND p.upvotes IS NOT NULL AND p.match_state <> 'skipped'
      AND NOT EXISTS (SELECT 1 FROM ${matches} m WHERE m.subscriber_id = ${subscriberId} AND m.paper_id = p.id)
    ORDER BY p.upvotes DESC, p.first_seen_at DESC
    LIMIT ${TRENDING_COUNT}
    ON CONFLICT DO NOTHING`)
}

/** A send that failed for a reason worth retrying: the same papers go out on the next attempt. */
export async function releaseDigest(db: Database, digestId: number, error: string): Promise<void> {
  await db
    .update(digests)
    .set({ status: 'pending', error })
    .where(and(eq(digests.id, digestId), eq(digests.status, 'sending')))
}

export async function finishDigest(
  db: Database,
  digestId: number,
  outcome: {
    status: 'sent' | 'failed' | 'uncertain'
    subject?: string
    messageId?: string
    error?: string
  },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(digests)
      .set({
        status: outcome.status,
        subject: outcome.subject,
        messageId: outcome.messageId,
        error: outcome.error,
        sentAt: outcome.status === 'sent' ? now : null,
      })
      .where(eq(digests.id, digestId))
      .returning({ subscriberId: digests.subscriberId })
    if (row && outcome.status === 'sent') {
      await tx
        .update(subscribers)
        .set({ lastDigestAt: now })
        .where(eq(subscribers.id, row.subscriberId))
    }
  })
}

export interface DigestContentRow {
  readonly paper: typeof papers.$inferSelect
  readonly reasons: StoredReason[]
}

/** The papers of a digest with why each is there. */
export async function digestContent(db: Database, digestId: number): Promise<DigestContentRow[]> {
  const rows = await db
    .select({ paper: papers, reasons: matches.reasons })
    .from(matches)
    .innerJoin(papers, eq(papers.id, matches.paperId))
    .where(eq(matches.digestId, digestId))
  return rows
}

/** What the next digest would hold today, without claiming anything (for `preview`). */
export async function pendingContent(
  db: Database,
  subscriberId: number,
): Promise<DigestContentRow[]> {
  return db
    .select({ paper: papers, reasons: matches.reasons })
    .from(matches)
    .innerJoin(papers, eq(papers.id, matches.paperId))
    .where(and(eq(matches.subscriberId, subscriberId), isNull(matches.digestId)))
}

/** The latest day's top papers this subscriber has not had, for previews of the trending topic. */
export async function trendingCandidates(db: Database, subscriberId: number, now: Date) {
  return db
    .select()
    .from(papers)
    .where(
      and(
        gte(papers.firstSeenAt, new Date(now.getTime() - TRENDING_WINDOW_MS)),
        lte(papers.firstSeenAt, now),
        isNotNull(papers.upvotes),
        sql`NOT EXISTS (SELECT 1 FROM ${matches} m WHERE m.subscriber_id = ${subscriberId} AND m.paper_id = ${papers.id})`,
      ),
    )
    .orderBy(desc(papers.upvotes), desc(papers.firstSeenAt))
    .limit(TRENDING_COUNT)
}

export async function findDigest(db: Database, id: number): Promise<DigestRow | undefined> {
  const [row] = await db.select().from(digests).where(eq(digests.id, id))
  return row
}

export interface DueDigest {
  readonly subscriberId: number
  readonly period: string
}

/**
 * The scheduler tick's one range query: claims up to `limit` due subscribers (SKIP LOCKED, so
 * two ticks never take the same one), hands their periods to `enqueue`, and only then moves
 * their next-send time on. If enqueueing fails, nothing moves and the next tick retries.
 */
export async function takeDueSubscribers(
  db: Database,
  now: Date,
  limit: number,
  plan: (row: typeof subscribers.$inferSelect) => { period: string; next: Date },
  enqueue: (due: DueDigest[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(subscribers)
      .where(and(eq(subscribers.status, 'active'), lte(subscribers.nextSendAt, now)))
      .orderBy(asc(subscribers.nextSendAt))
      .limit(limit)
      .for('update', { skipLocked: true })
    if (rows.length === 0) return 0
    const planned = rows.map((row) => ({ row, ...plan(row) }))
    await enqueue(planned.map((p) => ({ subscriberId: p.row.id, period: p.period })))
    // One statement for the whole batch: a round trip per subscriber is what made ticks slow.
    await tx.execute(sql`
      UPDATE ${subscribers} AS s SET next_send_at = v.next
      FROM jsonb_to_recordset(${JSON.stringify(planned.map((p) => ({ id: p.row.id, next: p.next.toISOString() })))}::jsonb)
        AS v(id bigint, next timestamptz)
      WHERE s.id = v.id`)
    return rows.length
  })
}

/** Active subscribers with undelivered matches, for `digest run --now`. */
export async function subscribersWithPendingMatches(
  db: Database,
  onlyId?: number,
): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: matches.subscriberId })
    .from(matches)
    .innerJoin(subscribers, eq(subscribers.id, matches.subscriberId))
    .where(
      and(
        isNull(matches.digestId),
        eq(subscribers.status, 'active'),
        onlyId === undefined ? undefined : eq(matches.subscriberId, onlyId),
      ),
    )
  return rows.map((r) => r.id)
}

export async function digestsByIds(db: Database, ids: readonly number[]) {
  if (ids.length === 0) return []
  return db
    .select()
    .from(digests)
    .where(inArray(digests.id, [...ids]))
}

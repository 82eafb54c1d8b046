import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { digests, papers } from '../schema/index.js'

export interface UnfinishedDigest {
  readonly id: number
  readonly subscriberId: number
  readonly period: string
  readonly extra: boolean
}

/**
 * Digest rows still `pending` or `sending`, from id `fromId` on (ids grow with time, so the
 * primary key serves this as a range scan: `digests` has no index on status, on purpose, see
 * migration 0006). Rows opened before `openedAfter` are no longer looked at: what is still
 * unfinished by then stays as it is (the gauges show it) rather than being sent days late.
 * Returns those opened before `openedBefore`, and the lowest id of any unfinished row, which is
 * where the next look can start.
 */
export async function findUnfinishedDigests(
  db: Database,
  fromId: number,
  opened: { readonly after: Date; readonly before: Date },
  limit: number,
): Promise<{ stale: UnfinishedDigest[]; lowestUnfinishedId: number | undefined }> {
  const rows = await db
    .select({
      id: digests.id,
      subscriberId: digests.subscriberId,
      period: digests.period,
      extra: digests.extra,
      createdAt: digests.createdAt,
    })
    .from(digests)
    .where(
      and(
        gte(digests.id, fromId),
        inArray(digests.status, ['pending', 'sending']),
        gte(digests.createdAt, opened.after),
      ),
    )
    .orderBy(asc(digests.id))
    .limit(limit)
  const stale = rows
    .filter((row) => row.createdAt < opened.before)
    .map(({ createdAt: _createdAt, ...row }) => row)
  return { stale, lowestUnfinishedId: rows[0]?.id }
}

/** Papers stored more than a grace period ago and never matched (`papers_pending_idx`). */
export async function findUnmatchedPapers(
  db: Database,
  storedBefore: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ id: papers.id })
    .from(papers)
    .where(and(eq(papers.matchState, 'pending'), lt(papers.firstSeenAt, storedBefore)))
    .orderBy(asc(papers.firstSeenAt))
    .limit(limit)
  return rows.map((row) => row.id)
}

/** The highest digest id so far, or 0. */
export async function lastDigestId(db: Database): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${digests.id}), 0)` }).from(digests)
  return Number(row?.id ?? 0)
}

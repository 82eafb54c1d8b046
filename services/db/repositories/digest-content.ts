import { eq, type SQL, sql } from 'drizzle-orm'
import { TRENDING } from '../../domain/seed-topics.js'
import type { Database } from '../client.js'
import { preparedStatement } from '../prepared.js'
import { rowsOf } from '../rows.js'
import {
  digests,
  interests,
  lineMatches,
  matches,
  papers,
  type StoredReason,
  subscriberStatusEvents,
  subscribers,
  subscriberTopics,
  topicMatches,
} from '../schema/index.js'

// What a digest holds, written once: the claim that sends a digest (digest-delivery.ts) and
// the preview of the next one both select their papers with nextContent() below; the claim
// writes what it selects, the preview only reads it.

/** The paper columns a digest shows. */
export type DigestPaperRow = Pick<
  typeof papers.$inferSelect,
  | 'id'
  | 'title'
  | 'abstract'
  | 'authors'
  | 'categories'
  | 'url'
  | 'upvotes'
  | 'publishedAt'
  | 'firstSeenAt'
  | 'organization'
  | 'thumbnailUrl'
>

/** One paper of a digest and every reason it is there. */
export interface DigestContentRow {
  readonly paper: DigestPaperRow
  readonly reasons: StoredReason[]
}

/** How many papers the trending topic adds, and how far back "the latest day" reaches. */
export const TRENDING_COUNT = 10
const TRENDING_WINDOW_MS = 24 * 3600 * 1000

/** The placeholders nextContent() reads: the claim's or the preview's moment. */
export function trendingWindow(now: Date): { now: string; trendingSince: string } {
  return {
    now: now.toISOString(),
    trendingSince: new Date(now.getTime() - TRENDING_WINDOW_MS).toISOString(),
  }
}

/**
 * From when a subscriber's line and topic matches are theirs: the day before their last digest
 * (papers already delivered are skipped anyway; the day covers matches recorded while that
 * digest was being sent), and never before they last became active, so a gap between digests
 * loses nothing and a time they were not subscribed gives nothing. SQL over subscriber id `id`.
 */
function matchesSince(id: SQL): SQL {
  return sql`greatest(
      (SELECT max(e.at) FROM ${subscriberStatusEvents} e WHERE e.subscriber_id = ${id} AND e.status = 'active'),
      (SELECT x.last_digest_at - interval '1 day' FROM ${subscribers} x WHERE x.id = ${id}))`
}

/** Papers a digest of this subscriber has carried. SQL over subscriber id and paper id. */
const notYetDelivered = (subscriberId: SQL, paperId: SQL): SQL => sql`NOT EXISTS (
  SELECT 1 FROM ${matches} m
  WHERE m.subscriber_id = ${subscriberId} AND m.paper_id = ${paperId} AND m.digest_id IS NOT NULL)`

/**
 * One row per (paper, reason) the subscriber's own lines give, for papers they have not had:
 * the matches of the lines they have now, each counted from when they wrote it and never
 * before matchesSince(). Columns: paper_id, rank, slug, n, reason.
 */
function lineReasons(subscriberId: SQL): SQL {
  return sql`
    SELECT lm.paper_id, i.position::int AS rank, '' AS slug, 0::bigint AS n,
      jsonb_build_object('kind', 'interest', 'line', i.query, 'words', lm.words) AS reason
    -- Each line once, even where a list saved before duplicates were refused has it twice.
    FROM (
      SELECT query, min(position) AS position, min(created_at) AS created_at
      FROM ${interests} WHERE subscriber_id = ${subscriberId} GROUP BY query
    ) i
    JOIN ${lineMatches} lm ON lm.line = i.query
      AND lm.matched_at >= greatest(i.created_at, ${matchesSince(subscriberId)})
    WHERE ${notYetDelivered(subscriberId, sql`lm.paper_id`)}`
}

/** The same for the topics the subscriber follows, since matchesSince(). */
function topicReasons(subscriberId: SQL): SQL {
  return sql`
    SELECT tm.paper_id, ${TOPICS_RANK} AS rank, tm.topic_slug AS slug, r.n, r.reason
    FROM ${subscriberTopics} st
    JOIN ${topicMatches} tm ON tm.topic_slug = st.topic_slug
      AND tm.matched_at >= ${matchesSince(subscriberId)}
    CROSS JOIN LATERAL jsonb_array_elements(tm.reasons) WITH ORDINALITY AS r(reason, n)
    WHERE st.subscriber_id = ${subscriberId} AND ${notYetDelivered(subscriberId, sql`tm.paper_id`)}`
}

/** Sorts topic reasons after every own line (positions are smallints). */
const TOPICS_RANK = sql.raw('32768')

const TRENDING_REASONS = JSON.stringify([{ kind: 'topic', slug: TRENDING, words: [] }])

/**
 * The CTEs that pick a digest's papers, to follow a CTE `live` of at most one row (`id`: the
 * digest being claimed, null for a preview; `subscriber_id`). Each of `attached`, `followed`
 * and `trend` gives (paper_id, reasons); together they are the digest:
 *
 * - `sourced`: per paper, every reason the subscriber's lines and topics give it, own lines
 *   first in the order the subscriber wrote them, then topics by slug;
 * - `attached`: the subscriber's undelivered match rows, with what `sourced` adds to them;
 * - `followed`: the papers of `sourced` that have no match row;
 * - `trend`: for followers of `trending`, the latest day's most upvoted papers they have had
 *   no match row for and `sourced` does not hold, never one stored with --no-deliver.
 *
 * With `write`, the claim's: `attached` takes the rows for the digest and `followed` and
 * `trend` insert theirs, so the papers are the digest's from then on. Without, the same
 * selection and nothing written. Trending reads the `now` and `trendingSince` placeholders.
 */
export function nextContent(write: boolean): SQL {
  const subscriberId = sql`(SELECT subscriber_id FROM live)`
  const undelivered = sql`m.subscriber_id = live.subscriber_id AND m.digest_id IS NULL`
  const merged = sql`m.reasons || coalesce((SELECT t.reasons FROM sourced t WHERE t.paper_id = m.paper_id), '[]'::jsonb)`
  const columns = (paperId: SQL, reasons: SQL) =>
    write ? sql`live.subscriber_id, ${paperId}, ${reasons}, live.id` : sql`${paperId}, ${reasons}`
  // As an INSERT: a row written since this statement's snapshot (a concurrent claim) wins.
  const inserted = (select: SQL) =>
    write
      ? sql`INSERT INTO ${matches} (subscriber_id, paper_id, reasons, digest_id) ${select}
          ON CONFLICT DO NOTHING RETURNING paper_id, reasons`
      : select
  return sql`
    sourced AS (
      SELECT x.paper_id, jsonb_agg(x.reason ORDER BY x.rank, x.slug, x.n) AS reasons
      FROM (${lineReasons(subscriberId)} UNION ALL ${topicReasons(subscriberId)}) x
      GROUP BY x.paper_id
    ), attached AS (${
      write
        ? sql`UPDATE ${matches} AS m SET digest_id = live.id, reasons = ${merged}
            FROM live WHERE ${undelivered} RETURNING m.paper_id, m.reasons`
        : sql`SELECT m.paper_id, ${merged} AS reasons FROM ${matches} m, live WHERE ${undelivered}`
    }), followed AS (${inserted(sql`
      SELECT ${columns(sql`t.paper_id`, sql`t.reasons`)} FROM live CROSS JOIN sourced t
      -- sourced has no delivered paper and attached took every undelivered row, so this
      -- leaves the papers with no row; the anti-join reads a few rows, not the matches table.
      WHERE NOT EXISTS (SELECT 1 FROM attached a WHERE a.paper_id = t.paper_id)`)}
    ), trend AS (${inserted(sql`
      SELECT ${columns(sql`p.id AS paper_id`, sql`${TRENDING_REASONS}::jsonb AS reasons`)}
      FROM live CROSS JOIN LATERAL (
        SELECT p.id FROM ${papers} p
        WHERE p.first_seen_at > ${sql.placeholder('trendingSince')}::timestamptz
          AND p.first_seen_at <= ${sql.placeholder('now')}::timestamptz
          AND p.upvotes IS NOT NULL AND p.match_state <> 'skipped'
          AND NOT EXISTS (SELECT 1 FROM ${matches} m WHERE m.subscriber_id = live.subscriber_id AND m.paper_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM sourced t WHERE t.paper_id = p.id)
        ORDER BY p.upvotes DESC, p.first_seen_at DESC
        LIMIT ${TRENDING_COUNT}
      ) p
      WHERE EXISTS (SELECT 1 FROM ${subscriberTopics} t WHERE t.subscriber_id = live.subscriber_id AND t.topic_slug = ${TRENDING})`)}
    )`
}

/**
 * The papers of CTEs giving (paper_id, reasons), as one JSON array of the columns a digest
 * shows and the reasons (null when there are none); read back with contentRows().
 */
export function contentJson(...parts: string[]): SQL {
  return sql`(
    SELECT json_agg(json_build_object(
      'id', p.id, 'title', p.title, 'abstract', p.abstract, 'authors', p.authors,
      'categories', p.categories, 'url', p.url, 'upvotes', p.upvotes, 'publishedAt', p.published_at,
      'firstSeenAt', p.first_seen_at, 'organization', p.organization,
      'thumbnailUrl', p.thumbnail_url, 'reasons', c.reasons))
    FROM (${sql.raw(parts.map((part) => `SELECT paper_id, reasons FROM ${part}`).join(' UNION ALL '))}) c
    JOIN ${papers} p ON p.id = c.paper_id)`
}

interface ContentJson {
  id: string
  title: string
  abstract: string
  authors: string[] | null
  categories: string[] | null
  url: string | null
  upvotes: number | null
  publishedAt: string | null
  firstSeenAt: string
  organization: string | null
  thumbnailUrl: string | null
  reasons: StoredReason[]
}

/** contentJson()'s column as the driver returns it (PGlite leaves json as text). */
export function contentRows(json: ContentJson[] | string | null): DigestContentRow[] {
  const items = typeof json === 'string' ? (JSON.parse(json) as ContentJson[]) : json
  return (items ?? []).map((c) => ({
    paper: {
      id: c.id,
      title: c.title,
      abstract: c.abstract,
      authors: c.authors ?? [],
      categories: c.categories ?? [],
      url: c.url,
      upvotes: c.upvotes,
      publishedAt: c.publishedAt === null ? null : new Date(c.publishedAt),
      firstSeenAt: new Date(c.firstSeenAt),
      organization: c.organization,
      thumbnailUrl: c.thumbnailUrl,
    },
    reasons: c.reasons,
  }))
}

const previewStatement = preparedStatement(
  () => sql`
    WITH live AS (
      SELECT NULL::bigint AS id, ${sql.placeholder('subscriberId')}::bigint AS subscriber_id
    ), ${nextContent(false)}
    SELECT ${contentJson('attached', 'followed', 'trend')} AS content`,
)

/**
 * What the subscriber's next digest would hold if it were claimed at `now`: the papers and
 * reasons claimDigest would attach to it, read with the same SQL, nothing written.
 */
export async function nextDigestContent(
  db: Database,
  subscriberId: number,
  now: Date,
): Promise<DigestContentRow[]> {
  const result = await previewStatement(db, { subscriberId, ...trendingWindow(now) })
  const [row] = rowsOf<{ content: ContentJson[] | string | null }>(result)
  return contentRows(row?.content ?? null)
}

/** The papers a digest carried, with why each is there. */
export async function sentDigestContent(
  db: Database,
  digestId: number,
): Promise<DigestContentRow[]> {
  return db
    .select({
      paper: {
        id: papers.id,
        title: papers.title,
        abstract: papers.abstract,
        authors: papers.authors,
        categories: papers.categories,
        url: papers.url,
        upvotes: papers.upvotes,
        publishedAt: papers.publishedAt,
        firstSeenAt: papers.firstSeenAt,
        organization: papers.organization,
        thumbnailUrl: papers.thumbnailUrl,
      },
      reasons: matches.reasons,
    })
    .from(matches)
    .innerJoin(papers, eq(papers.id, matches.paperId))
    .where(eq(matches.digestId, digestId))
}

export type DigestRow = typeof digests.$inferSelect

export async function findDigest(db: Database, id: number): Promise<DigestRow | undefined> {
  const [row] = await db.select().from(digests).where(eq(digests.id, id))
  return row
}

/**
 * Active subscribers whose lines or topics matched papers they have not had yet, for
 * `digest run --now`.
 */
export async function subscribersWithPendingMatches(
  db: Database,
  onlyId?: number,
): Promise<number[]> {
  const only = onlyId === undefined ? sql`true` : sql`s.id = ${onlyId}`
  const result = await db.execute(sql`
    SELECT s.id FROM ${subscribers} s
    WHERE s.status = 'active' AND ${only} AND (
      EXISTS (SELECT 1 FROM ${matches} m WHERE m.subscriber_id = s.id AND m.digest_id IS NULL)
      OR EXISTS (${lineReasons(sql`s.id`)})
      OR EXISTS (${topicReasons(sql`s.id`)}))
    ORDER BY s.id`)
  return rowsOf<{ id: number | string }>(result).map((r) => Number(r.id))
}

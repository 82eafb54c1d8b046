import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  type SQL,
  sql,
} from 'drizzle-orm'
import { TRENDING } from '../../domain/seed-topics.js'
import type { Database } from '../client.js'
import { groupCommit } from '../group-commit.js'
import { preparedStatement } from '../prepared.js'
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

export type DigestRow = typeof digests.$inferSelect

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

/**
 * Per paper, every reason the subscriber's lines and topics give it: own lines first, in the
 * order the subscriber wrote them, then topics by slug.
 */
function sourcedPapers(subscriberId: SQL): SQL {
  return sql`
    SELECT x.paper_id, jsonb_agg(x.reason ORDER BY x.rank, x.slug, x.n) AS reasons
    FROM (${lineReasons(subscriberId)} UNION ALL ${topicReasons(subscriberId)}) x
    GROUP BY x.paper_id`
}

/** Sorts topic reasons after every own line (positions are smallints). */
const TOPICS_RANK = sql.raw('32768')

/** How many papers the trending topic adds, and how far back "the latest day" reaches. */
export const TRENDING_COUNT = 10
const TRENDING_WINDOW_MS = 24 * 3600 * 1000

/** The paper columns a digest email shows. */
export type DigestPaperRow = Pick<
  typeof papers.$inferSelect,
  'id' | 'title' | 'abstract' | 'authors' | 'url' | 'upvotes' | 'publishedAt' | 'firstSeenAt'
>

export type ClaimOutcome =
  | {
      kind: 'sending'
      digestId: number
      recipient: DigestRecipient
      /** The digest's papers (every match attached to it), read in the claiming statement. */
      content: { paper: DigestPaperRow; reasons: StoredReason[] }[]
    }
  | { kind: 'empty'; digestId: number; recipient: DigestRecipient }
  | { kind: 'done'; digestId: number; recipient: DigestRecipient; status: DigestRow['status'] }
  /** The subscriber is no longer active: nothing is claimed, the row stays pending. */
  | { kind: 'inactive'; recipient: DigestRecipient }
  /** No digest row for that period (or no such digest). */
  | { kind: 'missing' }

/** A digest by its id, or a subscriber's digest for a period. */
export type DigestTarget = { id: number } | { subscriberId: number; period: string }

/** The claim of one digest, chosen by `which` (see claimDigest). */
function claimQuery(which: SQL): SQL {
  return sql`
    WITH d AS (
      SELECT id, subscriber_id, status FROM ${digests} WHERE ${which} FOR UPDATE
    ), s AS (
      SELECT s.id, s.email, s.status, s.token_version, s.frequency, s.weekday, s.hour, s.timezone
      FROM ${subscribers} s JOIN d ON s.id = d.subscriber_id
    ), live AS (
      SELECT d.id, d.subscriber_id FROM d JOIN s ON s.status = 'active' WHERE d.status = 'pending'
    ), sourced AS (
      ${sourcedPapers(sql`(SELECT subscriber_id FROM live)`)}
    ), attached AS (
      UPDATE ${matches} AS m SET digest_id = live.id,
        reasons = m.reasons || coalesce((SELECT t.reasons FROM sourced t WHERE t.paper_id = m.paper_id), '[]'::jsonb)
      FROM live
      WHERE m.subscriber_id = live.subscriber_id AND m.digest_id IS NULL
      RETURNING m.paper_id, m.reasons
    ), followed AS (
      INSERT INTO ${matches} (subscriber_id, paper_id, reasons, digest_id)
      SELECT live.subscriber_id, t.paper_id, t.reasons, live.id FROM live CROSS JOIN sourced t
      -- sourced has no delivered paper and attached took every undelivered row, so this
      -- leaves the papers with no row; the anti-join reads a few rows, not the matches table.
      WHERE NOT EXISTS (SELECT 1 FROM attached a WHERE a.paper_id = t.paper_id)
      -- A row written since this statement's snapshot (a concurrent claim) wins.
      ON CONFLICT DO NOTHING
      RETURNING paper_id, reasons
    ), trend AS (
      INSERT INTO ${matches} (subscriber_id, paper_id, reasons, digest_id)
      SELECT live.subscriber_id, p.id, ${TRENDING_REASONS}::jsonb, live.id
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
      WHERE EXISTS (SELECT 1 FROM ${subscriberTopics} t WHERE t.subscriber_id = live.subscriber_id AND t.topic_slug = ${TRENDING})
      ON CONFLICT DO NOTHING
      RETURNING paper_id, reasons
    ), earlier AS (
      SELECT m.paper_id, m.reasons FROM ${matches} m JOIN live ON m.digest_id = live.id
    ), counted AS (
      SELECT (SELECT count(*) FROM earlier) + (SELECT count(*) FROM attached)
           + (SELECT count(*) FROM followed) + (SELECT count(*) FROM trend) AS n
    ), moved AS (
      UPDATE ${digests} AS g
      SET status = CASE WHEN counted.n > 0 THEN 'sending'::digest_status ELSE 'empty'::digest_status END
      FROM live, counted
      WHERE g.id = live.id
      RETURNING g.status
    )
    SELECT d.id AS digest_id, d.status AS was, moved.status AS now, s.id AS subscriber_id,
      s.email, s.status,
      s.token_version, s.frequency, s.weekday, s.hour, s.timezone,
      CASE WHEN moved.status = 'sending' THEN (
        SELECT json_agg(json_build_object(
          'id', p.id, 'title', p.title, 'abstract', p.abstract, 'authors', p.authors,
          'url', p.url, 'upvotes', p.upvotes, 'publishedAt', p.published_at,
          'firstSeenAt', p.first_seen_at, 'reasons', c.reasons))
        FROM (SELECT * FROM earlier UNION ALL SELECT * FROM attached
              UNION ALL SELECT * FROM followed UNION ALL SELECT * FROM trend) c
        JOIN ${papers} p ON p.id = c.paper_id
      ) END AS content
    FROM d JOIN s ON true LEFT JOIN moved ON true`
}

const TRENDING_REASONS = JSON.stringify([{ kind: 'topic', slug: TRENDING, words: [] }])
const claimById = preparedStatement(() => claimQuery(sql`id = ${sql.placeholder('id')}`))
const claimByPeriod = preparedStatement(() =>
  claimQuery(
    sql`subscriber_id = ${sql.placeholder('subscriberId')} AND period = ${sql.placeholder('period')}`,
  ),
)

/**
 * Moves a pending digest to `sending` in one statement, attaching the papers the subscriber's
 * interest lines and topics matched (copied from line_matches and topic_matches, one match
 * per paper with every reason, merged into any undelivered match row already there) and, for
 * followers of `trending`, the latest day's top papers; and reads the subscriber's columns
 * the email needs. Once attached, a match belongs to this digest: no later digest can carry
 * the same paper. Only an active subscriber's digest is claimed.
 *
 * One statement is one transaction: the digest row is locked first (FOR UPDATE, re-read at its
 * latest version after any wait), and every other part only acts while that row is `pending`.
 * Matches attached earlier (a send released back to pending) are counted from the statement's
 * snapshot; only a claim of this same digest could attach more, and that claim holds the lock.
 */
export async function claimDigest(
  db: Database,
  target: DigestTarget,
  now: Date,
): Promise<ClaimOutcome> {
  const window = {
    now: now.toISOString(),
    trendingSince: new Date(now.getTime() - TRENDING_WINDOW_MS).toISOString(),
  }
  const result =
    'id' in target
      ? await claimById(db, { ...window, id: target.id })
      : await claimByPeriod(db, { ...window, ...target })
  const [row] = rowsOf<
    RecipientColumns & {
      digest_id: number | string
      was: DigestRow['status']
      now: DigestRow['status'] | null
      content: ContentJson[] | string | null
    }
  >(result)
  if (!row) return { kind: 'missing' }
  const digestId = Number(row.digest_id)
  const recipient = recipientOf(row)
  // A digest already past `pending` (sent, or interrupted mid-send) is reported as it is,
  // whatever the subscriber has done since: an interrupted one must still be settled.
  if (row.was !== 'pending') return { kind: 'done', digestId, recipient, status: row.was }
  if (recipient.status !== 'active') return { kind: 'inactive', recipient }
  if (row.now === null) return { kind: 'done', digestId, recipient, status: row.was }
  if (row.now === 'empty') return { kind: 'empty', digestId, recipient }
  const json =
    typeof row.content === 'string' ? (JSON.parse(row.content) as ContentJson[]) : row.content
  return {
    kind: 'sending',
    digestId,
    recipient,
    content: (json ?? []).map((c) => ({
      paper: {
        id: c.id,
        title: c.title,
        abstract: c.abstract,
        authors: c.authors ?? [],
        url: c.url,
        upvotes: c.upvotes,
        publishedAt: c.publishedAt === null ? null : new Date(c.publishedAt),
        firstSeenAt: new Date(c.firstSeenAt),
      },
      reasons: c.reasons,
    })),
  }
}

interface ContentJson {
  id: string
  title: string
  abstract: string
  authors: string[] | null
  url: string | null
  upvotes: number | null
  publishedAt: string | null
  firstSeenAt: string
  reasons: StoredReason[]
}

/** The rows of a raw `db.execute`, whichever driver ran it. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows
}

export interface DigestRecipient {
  readonly id: number
  readonly email: string
  readonly status: (typeof subscribers.$inferSelect)['status']
  readonly tokenVersion: number
  readonly frequency: (typeof subscribers.$inferSelect)['frequency']
  readonly weekday: (typeof subscribers.$inferSelect)['weekday']
  readonly hour: number
  readonly timezone: string
}

/** The subscriber columns of a digest query's row, as the driver returns them. */
interface RecipientColumns {
  subscriber_id: number | string
  email: string
  status: DigestRecipient['status']
  token_version: number
  frequency: DigestRecipient['frequency']
  weekday: DigestRecipient['weekday']
  hour: number
  timezone: string
}

function recipientOf(row: RecipientColumns): DigestRecipient {
  return {
    id: Number(row.subscriber_id),
    email: row.email,
    status: row.status,
    tokenVersion: Number(row.token_version),
    frequency: row.frequency,
    weekday: row.weekday,
    hour: Number(row.hour),
    timezone: row.timezone,
  }
}

/**
 * For digests the tick did not open (extra ones from `digest run --now`): in one round trip,
 * the subscriber's columns and (only when they are active) their digest for this period,
 * created pending if new. When the row already existed, its state is read with a second query.
 */
export async function openDigestFor(
  db: Database,
  subscriberId: number,
  period: string,
  extra: boolean,
): Promise<
  | { recipient: DigestRecipient; digest: { id: number; status: DigestRow['status'] } | undefined }
  | undefined
> {
  const result = await db.execute(sql`
    WITH s AS (
      SELECT id, email, status, token_version, frequency, weekday, hour, timezone
      FROM ${subscribers} WHERE id = ${subscriberId}
    ), opened AS (
      INSERT INTO ${digests} (subscriber_id, period, extra)
      SELECT s.id, ${period}::text, ${extra}::boolean FROM s WHERE s.status = 'active'
      ON CONFLICT DO NOTHING
      RETURNING id, status
    )
    SELECT s.*, opened.id AS digest_id, opened.status AS digest_status FROM s LEFT JOIN opened ON true`)
  const [row] = rowsOf<
    RecipientColumns & {
      id: number | string
      digest_id: number | string | null
      digest_status: DigestRow['status'] | null
    }
  >(result)
  if (!row) return undefined
  const recipient = recipientOf({ ...row, subscriber_id: row.id })
  if (recipient.status !== 'active') return { recipient, digest: undefined }
  if (row.digest_id !== null && row.digest_status !== null) {
    return { recipient, digest: { id: Number(row.digest_id), status: row.digest_status } }
  }
  const [existing] = await db
    .select({ id: digests.id, status: digests.status })
    .from(digests)
    .where(and(eq(digests.subscriberId, subscriberId), eq(digests.period, period)))
  return { recipient, digest: existing }
}

/** A send that failed for a reason worth retrying: the same papers go out on the next attempt. */
export async function releaseDigest(db: Database, digestId: number, error: string): Promise<void> {
  await db
    .update(digests)
    .set({ status: 'pending', error })
    .where(and(eq(digests.id, digestId), eq(digests.status, 'sending')))
}

/** How a send ended, as finishDigest records it. */
export interface DigestOutcome {
  status: 'sent' | 'failed' | 'uncertain'
  subject?: string
  messageId?: string
  error?: string
}

/**
 * Records how a digest's send ended and, when it was sent, the subscriber's last-digest time.
 * Digests finishing at about the same time are recorded together, in one statement (see
 * groupCommit): a busy worker finishes hundreds a second, and a round trip for each was about
 * 6 % of its work per email. The promise settles once this digest's outcome is committed.
 */
export function finishDigest(
  db: Database,
  digestId: number,
  outcome: DigestOutcome,
  now: Date,
): Promise<void> {
  let finish = finishers.get(db)
  if (finish === undefined) {
    finish = groupCommit((items: readonly Finished[]) => finishMany(db, items), {
      maxBatch: FINISH_BATCH_MAX,
      // Two outcomes of one digest (a stalled job's retry settling it meanwhile) go one after
      // the other, as they were asked for.
      keyOf: (item) => item.id,
    })
    finishers.set(db, finish)
  }
  return finish({ id: digestId, outcome, at: now })
}

interface Finished {
  readonly id: number
  readonly outcome: DigestOutcome
  readonly at: Date
}

/** As many as a worker has digests in flight, and then some. */
const FINISH_BATCH_MAX = 100
const finishers = new WeakMap<Database, (item: Finished) => Promise<void>>()

async function finishMany(db: Database, items: readonly Finished[]): Promise<void> {
  // In id order, which makes a deadlock with another process's batch less likely; should one
  // happen, each digest is written again on its own.
  const sorted = [...items].sort((a, b) => a.id - b.id)
  await finish(db, {
    ids: sorted.map((f) => f.id),
    statuses: sorted.map((f) => f.outcome.status),
    subjects: sorted.map((f) => f.outcome.subject ?? null),
    messageIds: sorted.map((f) => f.outcome.messageId ?? null),
    errors: sorted.map((f) => f.outcome.error ?? null),
    at: sorted.map((f) => f.at.toISOString()),
  })
}

// One statement, so one transaction: each digest's outcome and, for those sent, their
// subscribers' last-digest times. Fields given as null are left as they are. An outcome is
// recorded over a digest being sent, and a known one (sent, failed) over `uncertain` too: a
// stalled job's retry can mark a digest uncertain while the first attempt is still sending,
// and what that attempt learns is the truth. A digest sent or failed stays so.
const finish = preparedStatement(
  () => sql`
    WITH outcome AS (
      SELECT * FROM unnest(
        -- Statuses travel as text[]: PGlite can send a JavaScript array only as an array of a
        -- built-in type, and an enum's array is not one.
        ${sql.placeholder('ids')}::bigint[], ${sql.placeholder('statuses')}::text[]::digest_status[],
        ${sql.placeholder('subjects')}::text[], ${sql.placeholder('messageIds')}::text[],
        ${sql.placeholder('errors')}::text[], ${sql.placeholder('at')}::timestamptz[]
      ) AS o(id, status, subject, message_id, error, at)
    ), d AS (
      UPDATE ${digests} AS g SET
        status = o.status,
        sent_at = CASE WHEN o.status = 'sent' THEN o.at END,
        subject = coalesce(o.subject, g.subject),
        message_id = coalesce(o.message_id, g.message_id),
        error = coalesce(o.error, g.error)
      FROM outcome o
      WHERE g.id = o.id
        AND (g.status = 'sending' OR (g.status = 'uncertain' AND o.status <> 'uncertain'))
      RETURNING g.subscriber_id, g.status, g.sent_at
    ), latest AS (
      -- A subscriber can have two digests in a batch (a --now one and the scheduled one).
      SELECT subscriber_id, max(sent_at) AS sent_at FROM d WHERE status = 'sent' GROUP BY subscriber_id
    )
    -- Never back in time: the digest finished last is not always the one sent last.
    UPDATE ${subscribers} AS s SET last_digest_at = greatest(s.last_digest_at, latest.sent_at)
    FROM latest WHERE s.id = latest.subscriber_id`,
)

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

/**
 * What the next digest would hold today, without claiming anything (for `preview`): the
 * papers the subscriber's lines and topics matched, merged with any undelivered match row,
 * as claimDigest would.
 */
export async function pendingContent(
  db: Database,
  subscriberId: number,
): Promise<DigestContentRow[]> {
  const own = await db
    .select({ paper: papers, reasons: matches.reasons })
    .from(matches)
    .innerJoin(papers, eq(papers.id, matches.paperId))
    .where(and(eq(matches.subscriberId, subscriberId), isNull(matches.digestId)))
  const sourced = rowsOf<{ paper_id: string; reasons: StoredReason[] }>(
    await db.execute(sourcedPapers(sql`${subscriberId}::bigint`)),
  )
  const byPaper = new Map(own.map((row) => [row.paper.id, row]))
  const missing: string[] = []
  for (const { paper_id, reasons } of sourced) {
    const row = byPaper.get(paper_id)
    if (row) row.reasons = [...row.reasons, ...reasons]
    else missing.push(paper_id)
  }
  if (missing.length === 0) return own
  const reasonsOf = new Map(sourced.map((t) => [t.paper_id, t.reasons]))
  const extra = await db.select().from(papers).where(inArray(papers.id, missing))
  return [...own, ...extra.map((paper) => ({ paper, reasons: reasonsOf.get(paper.id) ?? [] }))]
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
 * two ticks never take the same one), opens their digest rows for the period (pending), hands
 * the periods to `enqueue`, and only then moves their next-send time on. If enqueueing fails,
 * nothing is kept and the next tick retries. Opening the rows here, a thousand per statement,
 * spares each digest job a round trip.
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
    await tx.execute(sql`
      INSERT INTO ${digests} (subscriber_id, period)
      SELECT v.id, v.period
      FROM jsonb_to_recordset(${JSON.stringify(planned.map((p) => ({ id: p.row.id, period: p.period })))}::jsonb)
        AS v(id bigint, period text)
      ON CONFLICT DO NOTHING`)
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

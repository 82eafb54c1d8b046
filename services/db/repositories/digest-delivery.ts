import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.js'
import { groupCommit } from '../group-commit.js'
import { preparedStatement } from '../prepared.js'
import { rowsOf } from '../rows.js'
import { digests, matches, subscribers } from '../schema/index.js'
import {
  contentJson,
  contentRows,
  type DigestContentRow,
  type DigestRow,
  nextContent,
  trendingWindow,
} from './digest-content.js'

// A digest's way from `pending` to `sent`: opened, claimed with its papers, released for a
// retry, finished.

export type ClaimOutcome =
  | {
      kind: 'sending'
      digestId: number
      recipient: DigestRecipient
      /** The digest's papers (every match attached to it), read in the claiming statement. */
      content: DigestContentRow[]
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
    ), ${nextContent(true)}, earlier AS (
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
      CASE WHEN moved.status = 'sending' THEN ${contentJson('earlier', 'attached', 'followed', 'trend')}
      END AS content
    FROM d JOIN s ON true LEFT JOIN moved ON true`
}

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
  const window = trendingWindow(now)
  const result =
    'id' in target
      ? await claimById(db, { ...window, id: target.id })
      : await claimByPeriod(db, { ...window, ...target })
  const [row] = rowsOf<
    RecipientColumns & {
      digest_id: number | string
      was: DigestRow['status']
      now: DigestRow['status'] | null
      content: Parameters<typeof contentRows>[0]
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
  return { kind: 'sending', digestId, recipient, content: contentRows(row.content) }
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

/**
 * A claimed digest whose every paper the subscriber muted: nothing is sent, and it ends
 * `empty` like a digest that had nothing, its papers still attached so none comes back later.
 */
export async function emptyMutedDigest(db: Database, digestId: number): Promise<void> {
  await db
    .update(digests)
    .set({ status: 'empty' })
    .where(and(eq(digests.id, digestId), eq(digests.status, 'sending')))
}

/** How a send ended, as a FinishDigest records it. */
export interface DigestOutcome {
  status: 'sent' | 'failed' | 'uncertain'
  subject?: string
  messageId?: string
  error?: string
}

/** Records how one digest's send ended, as of `now`; settles once it is committed. */
export type FinishDigest = (digestId: number, outcome: DigestOutcome, now: Date) => Promise<void>

/**
 * Records how digests' sends ended and, for those sent, the subscribers' last-digest times.
 * Digests finishing at about the same time are recorded together, in one statement (see
 * groupCommit): a busy worker finishes hundreds a second, and a round trip for each was about
 * 6 % of its work per email. One per process and database, made by buildServices: batches
 * gather only what goes through the same finisher.
 */
export function createDigestFinisher(db: Database): FinishDigest {
  const finish = groupCommit((items: readonly Finished[]) => finishMany(db, items), {
    maxBatch: FINISH_BATCH_MAX,
    // Two outcomes of one digest (a stalled job's retry settling it meanwhile) go one after
    // the other, as they were asked for.
    keyOf: (item) => item.id,
  })
  return (id, outcome, at) => finish({ id, outcome, at })
}

interface Finished {
  readonly id: number
  readonly outcome: DigestOutcome
  readonly at: Date
}

/** As many as a worker has digests in flight, and then some. */
const FINISH_BATCH_MAX = 100

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

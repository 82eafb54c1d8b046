import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { papers } from './papers.js'
import { subscribers } from './subscriptions.js'
import { topics } from './topics.js'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** Why a paper is in someone's digest: the interest line or topic that matched, and the words. */
export interface StoredReason {
  readonly kind: 'interest' | 'topic'
  readonly line?: string
  readonly slug?: string
  readonly words: readonly string[]
}

/**
 * One row per (subscriber, paper) a digest has carried: a paper matched by three interests is
 * one match with three reasons. A claim writes the row with its `digestId` (copied from
 * line_matches and topic_matches), which is what "delivered once" rests on. Rows with no
 * digest yet are those a worker recorded per subscriber before line matches existed; the next
 * claim attaches them as they were recorded.
 */
export const matches = pgTable(
  'matches',
  {
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    reasons: jsonb('reasons').$type<StoredReason[]>().notNull(),
    matchedAt: at('matched_at').notNull().defaultNow(),
    digestId: bigint('digest_id', { mode: 'number' }).references(() => digests.id, {
      onDelete: 'set null',
    }),
  },
  (t) => [
    primaryKey({ columns: [t.subscriberId, t.paperId] }),
    index('matches_undelivered_idx').on(t.subscriberId).where(sql`${t.digestId} IS NULL`),
    index('matches_digest_idx').on(t.digestId),
  ],
)

/**
 * One row per (topic, paper): a topic can have a million followers, and its matches are stored
 * once, not once per follower. A digest copies its subscriber's share into `matches` when it
 * claims them (see claimDigest), which is where "delivered once" is recorded.
 */
export const topicMatches = pgTable(
  'topic_matches',
  {
    topicSlug: text('topic_slug')
      .notNull()
      .references(() => topics.slug, { onDelete: 'cascade', onUpdate: 'cascade' }),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    reasons: jsonb('reasons').$type<StoredReason[]>().notNull(),
    matchedAt: at('matched_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.topicSlug, t.paperId] }),
    index('topic_matches_recent_idx').on(t.topicSlug, t.matchedAt),
  ],
)

/**
 * One row per (interest line, paper): a line is matched once however many subscribers wrote
 * it, so a paper costs the worker one row per distinct line it matches instead of one per
 * subscriber (tens of millions a day at a million subscribers). A digest joins its
 * subscriber's interest lines to these when it claims them (see claimDigest), copying them
 * into `matches`, as it does for topics. `line` is the interest's text exactly as stored.
 */
export const lineMatches = pgTable(
  'line_matches',
  {
    line: text('line').notNull(),
    paperId: text('paper_id')
      .notNull()
      .references(() => papers.id, { onDelete: 'cascade' }),
    words: jsonb('words').$type<string[]>().notNull(),
    matchedAt: at('matched_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.line, t.paperId] }),
    index('line_matches_recent_idx').on(t.line, t.matchedAt),
  ],
)

/**
 * `pending` → `sending` → `sent`. `empty`: nothing new that period, no email. `uncertain`: the
 * process died between handing the message to SMTP and recording it; it is never sent again.
 */
export const digestStatus = pgEnum('digest_status', [
  'pending',
  'sending',
  'sent',
  'empty',
  'uncertain',
  'failed',
])

/** One row per subscriber and scheduled period: the unique key is what makes a period send at most once. */
export const digests = pgTable(
  'digests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    /** An extra digest from `digest run --now`, outside the schedule. */
    extra: boolean('extra').notNull().default(false),
    status: digestStatus('status').notNull().default('pending'),
    subject: text('subject'),
    messageId: text('message_id'),
    error: text('error'),
    createdAt: at('created_at').notNull().defaultNow(),
    sentAt: at('sent_at'),
  },
  // Every lookup is by id or by (subscriber, period); no index on status, so moving a digest
  // from pending to sending to sent rewrites no index entry (migration 0006 explains).
  (t) => [uniqueIndex('digests_subscriber_period_key').on(t.subscriberId, t.period)],
)

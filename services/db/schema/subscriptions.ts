import { sql } from 'drizzle-orm'
import {
  bigint,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { FREQUENCIES, WEEKDAYS } from '../../domain/preferences.js'
import { SUBSCRIBER_STATUSES } from '../../domain/subscription-lifecycle.js'
import { topics } from './topics.js'

// The enums' values are the domain's: a value added there is a migration here.
export const subscriberStatus = pgEnum('subscriber_status', SUBSCRIBER_STATUSES)
export const frequency = pgEnum('frequency', FREQUENCIES)
export const weekday = pgEnum('weekday', WEEKDAYS)

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** One row per normalised address; everything else a subscriber owns hangs off it and cascades on delete. */
export const subscribers = pgTable(
  'subscribers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** Stored as typed with the domain lower-cased; unique regardless of case, as mailboxes are in practice. */
    email: text('email').notNull(),
    status: subscriberStatus('status').notNull().default('pending'),
    frequency: frequency('frequency').notNull().default('daily'),
    weekday: weekday('weekday').notNull().default('mon'),
    hour: smallint('hour').notNull().default(8),
    timezone: text('timezone').notNull().default('UTC'),
    /** Bumped to revoke every signed link issued before. */
    tokenVersion: integer('token_version').notNull().default(1),
    /** Guards the "one confirmation email per 10 minutes" rule with a conditional update. */
    lastConfirmationSentAt: at('last_confirmation_sent_at'),
    confirmedAt: at('confirmed_at'),
    /** When the next scheduled digest is due; only active subscribers have one. */
    nextSendAt: at('next_send_at'),
    lastDigestAt: at('last_digest_at'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subscribers_email_key').on(sql`lower(${t.email})`),
    index('subscribers_status_idx').on(t.status),
    // Finding who is due is one range scan over this, never a table scan.
    index('subscribers_due_idx').on(t.nextSendAt).where(sql`${t.status} = 'active'`),
    // Each worker asks before every batch who changed since it last looked.
    index('subscribers_updated_idx').on(t.updatedAt),
  ],
)

/** Every status change with its time, so an address's history (consent, bounces) can be shown. */
export const subscriberStatusEvents = pgTable(
  'subscriber_status_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    status: subscriberStatus('status').notNull(),
    reason: text('reason').notNull(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('subscriber_status_events_subscriber_idx').on(t.subscriberId, t.at)],
)

export const subscriberTopics = pgTable(
  'subscriber_topics',
  {
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    topicSlug: text('topic_slug')
      .notNull()
      .references(() => topics.slug, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.subscriberId, t.topicSlug] })],
)

/** A subscriber's own interest lines, kept in the order they were written. */
export const interests = pgTable(
  'interests',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    query: text('query').notNull(),
    createdAt: at('created_at').notNull().default(sql`now()`),
  },
  (t) => [index('interests_subscriber_idx').on(t.subscriberId, t.position)],
)

/**
 * Terms a subscriber muted ("mute this author", "mute this word"): each one a valid query
 * line, applied as `NOT (term1 OR term2 …)` to every paper their lines and topics bring.
 */
export const mutes = pgTable(
  'mutes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    subscriberId: bigint('subscriber_id', { mode: 'number' })
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    term: text('term').notNull(),
    createdAt: at('created_at').notNull().default(sql`now()`),
  },
  // Muting the same term twice (a double press, a second link) is one mute.
  (t) => [uniqueIndex('mutes_subscriber_term_key').on(t.subscriberId, t.term)],
)

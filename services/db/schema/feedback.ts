import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core'
import { FEEDBACK_KINDS } from '../../domain/feedback/types.js'
import { subscribers } from './subscriptions.js'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const feedbackKind = pgEnum('feedback_kind', FEEDBACK_KINDS)

/**
 * One row per bounce or complaint reported after sending (by a provider's webhook or a
 * delivery report). An address that is not a subscriber is counted with no subscriber and
 * no detail: nothing about a stranger's address is kept. A subscriber's rows go with them.
 */
export const mailFeedback = pgTable(
  'mail_feedback',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    provider: text('provider').notNull(),
    kind: feedbackKind('kind').notNull(),
    subscriberId: bigint('subscriber_id', { mode: 'number' }).references(() => subscribers.id, {
      onDelete: 'cascade',
    }),
    detail: text('detail'),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  // The complaint rate counts one kind over the last days; deleting a subscriber finds their rows.
  (t) => [
    index('mail_feedback_kind_received_idx').on(t.kind, t.receivedAt),
    index('mail_feedback_subscriber_idx').on(t.subscriberId),
  ],
)

/**
 * Whether digests are held back, as one row: set when complaints pass the threshold, cleared
 * by an operator. The last complaint rate worked out is kept with it for /metrics.
 */
export const sendingPause = pgTable(
  'sending_pause',
  {
    id: smallint('id').primaryKey().default(1),
    paused: boolean('paused').notNull().default(false),
    reason: text('reason'),
    changedAt: at('changed_at'),
    complaints: integer('complaints').notNull().default(0),
    sent: integer('sent').notNull().default(0),
    rate: doublePrecision('rate').notNull().default(0),
  },
  (t) => [check('sending_pause_one_row', sql`${t.id} = 1`)],
)

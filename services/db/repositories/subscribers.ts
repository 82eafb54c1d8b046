import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { announcementCalendar } from '../../announcement-calendar.js'
import type { Preferences } from '../../domain/preferences.js'
import { nextSendTime } from '../../domain/schedule.js'
import {
  CONFIRMATION_COOLDOWN_MS,
  decideSubscribe,
  type SubscribeMail,
  type SubscriberStatus,
} from '../../domain/subscription-lifecycle.js'
import type { Database } from '../client.js'
import {
  interests,
  subscriberStatusEvents,
  subscribers,
  subscriberTopics,
} from '../schema/index.js'

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
type Executor = Database | Transaction

export interface Subscriber extends Preferences {
  readonly id: number
  readonly email: string
  readonly status: SubscriberStatus
  readonly tokenVersion: number
  readonly confirmedAt: Date | null
}

export interface SubscribeOutcome {
  readonly subscriberId: number
  /** The email to send now, or null when none is due (cool-down, bounced address). */
  readonly mail: SubscribeMail | null
  /** The cool-down stamp this request took; pass it back to releaseConfirmationSlot if enqueueing fails. */
  readonly slot: Date | null
}

/**
 * Records a subscribe request in one transaction: creates or updates the row as the
 * lifecycle decides, then claims the address's confirmation slot with a conditional
 * update, so concurrent posts cannot both send.
 */
export async function subscribe(
  db: Database,
  email: string,
  preferences: Preferences,
  now: Date,
): Promise<SubscribeOutcome> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(subscribers)
      .values({ email })
      .onConflictDoNothing()
      .returning({ id: subscribers.id })
    const isNew = inserted.length > 0
    const [row] = await tx
      .select({ id: subscribers.id, status: subscribers.status })
      .from(subscribers)
      .where(eq(sql`lower(${subscribers.email})`, email.toLowerCase()))
      .for('update')
    if (!row) throw new Error(`subscriber row for ${email} vanished inside its transaction`)
    const decision = decideSubscribe(isNew ? undefined : row.status)
    // Coming back after unsubscribing starts afresh: links from before stop working.
    if (row.status === 'unsubscribed') await revokeLinks(tx, row.id, now)
    if (decision.replacePreferences) await writePreferences(tx, row.id, preferences, now)
    if (isNew || decision.nextStatus !== row.status) {
      await setStatus(
        tx,
        row.id,
        decision.nextStatus,
        isNew ? 'subscribe form' : 'subscribed again',
        now,
      )
    }
    if (!decision.mail) return { subscriberId: row.id, mail: null, slot: null }
    const threshold = new Date(now.getTime() - CONFIRMATION_COOLDOWN_MS)
    const claimed = await tx
      .update(subscribers)
      .set({ lastConfirmationSentAt: now })
      .where(
        and(
          eq(subscribers.id, row.id),
          or(
            isNull(subscribers.lastConfirmationSentAt),
            lt(subscribers.lastConfirmationSentAt, threshold),
          ),
        ),
      )
      .returning({ id: subscribers.id })
    return claimed.length > 0
      ? { subscriberId: row.id, mail: decision.mail, slot: now }
      : { subscriberId: row.id, mail: null, slot: null }
  })
}

/** Gives the cool-down slot back when the email could not be queued, so a retry is not refused. */
export async function releaseConfirmationSlot(db: Database, id: number, slot: Date): Promise<void> {
  await db
    .update(subscribers)
    .set({ lastConfirmationSentAt: null })
    .where(and(eq(subscribers.id, id), eq(subscribers.lastConfirmationSentAt, slot)))
}

export async function findSubscriber(db: Executor, id: number): Promise<Subscriber | undefined> {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id))
  if (!row) return undefined
  const topicRows = await db
    .select({ slug: subscriberTopics.topicSlug })
    .from(subscriberTopics)
    .where(eq(subscriberTopics.subscriberId, id))
    .orderBy(asc(subscriberTopics.topicSlug))
  const interestRows = await db
    .select({ query: interests.query })
    .from(interests)
    .where(eq(interests.subscriberId, id))
    .orderBy(asc(interests.position))
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    tokenVersion: row.tokenVersion,
    confirmedAt: row.confirmedAt,
    frequency: row.frequency,
    weekday: row.weekday,
    hour: row.hour,
    timezone: row.timezone,
    topics: topicRows.map((t) => t.slug),
    interests: interestRows.map((i) => i.query),
  }
}

export async function findSubscriberIdByEmail(
  db: Database,
  email: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(eq(sql`lower(${subscribers.email})`, email.toLowerCase()))
  return row?.id
}

/** pending -> active. Confirming twice, or after unsubscribing, changes nothing. */
export async function confirmSubscriber(
  db: Database,
  id: number,
  now: Date,
): Promise<SubscriberStatus | undefined> {
  return db.transaction(async (tx) => {
    const row = await lockSubscriber(tx, id)
    if (!row) return undefined
    if (row.status !== 'pending') return row.status
    await tx.update(subscribers).set({ confirmedAt: now }).where(eq(subscribers.id, id))
    await setStatus(tx, id, 'active', 'confirmed by link', now)
    return 'active'
  })
}

export async function updatePreferences(
  db: Database,
  id: number,
  preferences: Preferences,
  now: Date,
): Promise<void> {
  await db.transaction((tx) => writePreferences(tx, id, preferences, now))
}

/**
 * Idempotent: unsubscribing an unsubscribed (or bounced) address leaves it as it is.
 * Unsubscribing revokes every link sent before, so a forwarded email cannot undo it.
 */
export async function unsubscribeSubscriber(
  db: Database,
  id: number,
  reason: string,
  now: Date,
): Promise<boolean> {
  return transition(db, id, ['pending', 'active'], 'unsubscribed', reason, now, {
    revokeLinks: true,
  })
}

/**
 * Asked from the preference centre: back to pending, with every earlier link revoked, so only
 * the confirmation email about to be sent (and stamped here) can make the address active
 * again. An old link cannot re-activate anyone.
 */
export async function resubscribeSubscriber(db: Database, id: number, now: Date): Promise<boolean> {
  return transition(db, id, ['unsubscribed'], 'pending', 'resubscribed from preferences', now, {
    revokeLinks: true,
    confirmationSentAt: now,
  })
}

/** "Sign out all links": every link sent so far stops working; the next email carries new ones. */
export async function revokeAllLinks(db: Database, id: number, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await lockSubscriber(tx, id))) return false
    await revokeLinks(tx, id, now)
    return true
  })
}

export async function markBounced(
  db: Database,
  id: number,
  reason: string,
  now: Date,
): Promise<boolean> {
  return transition(db, id, ['pending', 'active', 'unsubscribed'], 'bounced', reason, now)
}

/** Removes the subscriber and, by cascade, everything that belongs to them. */
export async function deleteSubscriber(db: Database, id: number): Promise<boolean> {
  const deleted = await db
    .delete(subscribers)
    .where(eq(subscribers.id, id))
    .returning({ id: subscribers.id })
  return deleted.length > 0
}

export async function statusHistory(db: Database, id: number) {
  return db
    .select({
      status: subscriberStatusEvents.status,
      reason: subscriberStatusEvents.reason,
      at: subscriberStatusEvents.at,
    })
    .from(subscriberStatusEvents)
    .where(eq(subscriberStatusEvents.subscriberId, id))
    .orderBy(asc(subscriberStatusEvents.at), asc(subscriberStatusEvents.id))
}

interface TransitionEffects {
  /** Bump the token version, so that links signed before stop working. */
  readonly revokeLinks?: boolean
  /** Record a confirmation email as sent now (the caller queues it). */
  readonly confirmationSentAt?: Date
}

async function transition(
  db: Database,
  id: number,
  from: readonly SubscriberStatus[],
  to: SubscriberStatus,
  reason: string,
  now: Date,
  effects: TransitionEffects = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const row = await lockSubscriber(tx, id)
    if (!row || !from.includes(row.status)) return false
    if (effects.revokeLinks) await revokeLinks(tx, id, now)
    if (effects.confirmationSentAt) {
      await tx
        .update(subscribers)
        .set({ lastConfirmationSentAt: effects.confirmationSentAt })
        .where(eq(subscribers.id, id))
    }
    await setStatus(tx, id, to, reason, now)
    return true
  })
}

/** Locks the subscriber's row until the transaction ends; undefined when there is none. */
async function lockSubscriber(
  tx: Transaction,
  id: number,
): Promise<{ status: SubscriberStatus } | undefined> {
  const [row] = await tx
    .select({ status: subscribers.status })
    .from(subscribers)
    .where(eq(subscribers.id, id))
    .for('update')
  return row
}

async function revokeLinks(tx: Transaction, id: number, now: Date) {
  await tx
    .update(subscribers)
    .set({ tokenVersion: sql`${subscribers.tokenVersion} + 1`, updatedAt: now })
    .where(eq(subscribers.id, id))
}

async function setStatus(
  tx: Transaction,
  id: number,
  status: SubscriberStatus,
  reason: string,
  now: Date,
) {
  await tx.update(subscribers).set({ status, updatedAt: now }).where(eq(subscribers.id, id))
  await tx.insert(subscriberStatusEvents).values({ subscriberId: id, status, reason, at: now })
  await scheduleNextDigest(tx, id, now)
}

/** Only active subscribers are due; their next digest follows their (possibly new) schedule. */
async function scheduleNextDigest(tx: Transaction, id: number, now: Date) {
  const [row] = await tx.select().from(subscribers).where(eq(subscribers.id, id))
  if (!row) return
  const nextSendAt = row.status === 'active' ? nextSendTime(row, now, announcementCalendar()) : null
  await tx.update(subscribers).set({ nextSendAt }).where(eq(subscribers.id, id))
}

async function writePreferences(tx: Transaction, id: number, preferences: Preferences, now: Date) {
  await tx
    .update(subscribers)
    .set({
      frequency: preferences.frequency,
      weekday: preferences.weekday,
      hour: preferences.hour,
      timezone: preferences.timezone,
      updatedAt: now,
    })
    .where(eq(subscribers.id, id))
  await tx.delete(subscriberTopics).where(eq(subscriberTopics.subscriberId, id))
  if (preferences.topics.length > 0) {
    await tx
      .insert(subscriberTopics)
      .values(preferences.topics.map((topicSlug) => ({ subscriberId: id, topicSlug })))
  }
  await scheduleNextDigest(tx, id, now)
  // A line kept across an edit keeps its creation time: its matches count from then, and an
  // edit elsewhere in the list must not drop the ones not yet delivered.
  const previous = await tx
    .delete(interests)
    .where(eq(interests.subscriberId, id))
    .returning({ query: interests.query, createdAt: interests.createdAt })
  const since = new Map(previous.map((row) => [row.query, row.createdAt]))
  if (preferences.interests.length > 0) {
    await tx.insert(interests).values(
      preferences.interests.map((query, position) => ({
        subscriberId: id,
        position,
        query,
        createdAt: since.get(query) ?? now,
      })),
    )
  }
}

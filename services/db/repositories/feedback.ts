import { and, countDistinct, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm'
import type { FeedbackEvent } from '../../domain/feedback/types.js'
import type { Database } from '../client.js'
import { digests, mailFeedback, sendingPause, subscribers } from '../schema/index.js'

/** The subscriber ids of these addresses (compared as the unique index does, lower-cased). */
export async function subscriberIdsByEmail(
  db: Database,
  emails: readonly string[],
): Promise<Map<string, number>> {
  const lowered = [...new Set(emails.map((email) => email.toLowerCase()))]
  if (lowered.length === 0) return new Map()
  const rows = await db
    .select({ id: subscribers.id, email: subscribers.email })
    .from(subscribers)
    .where(inArray(sql`lower(${subscribers.email})`, lowered))
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.id]))
}

/** Records reports in one statement; a stranger's address leaves neither id nor detail behind. */
export async function insertFeedback(
  db: Database,
  rows: readonly { event: FeedbackEvent; subscriberId: number | undefined }[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return
  await db.insert(mailFeedback).values(
    rows.map(({ event, subscriberId }) => ({
      provider: event.provider,
      kind: event.kind,
      subscriberId: subscriberId ?? null,
      detail: subscriberId === undefined ? null : event.detail,
      receivedAt: now,
    })),
  )
}

/**
 * The subscribers who complained since then, each once: a complaint about an address that is
 * no subscriber, or a subscriber's second one, cannot push the rate up.
 */
export async function countComplaintsSince(db: Database, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: countDistinct(mailFeedback.subscriberId) })
    .from(mailFeedback)
    .where(
      and(
        eq(mailFeedback.kind, 'complaint'),
        gte(mailFeedback.receivedAt, since),
        isNotNull(mailFeedback.subscriberId),
      ),
    )
  return Number(row?.n ?? 0)
}

/** Those of these subscribers who were sent a digest with this Message-ID. */
export async function subscribersSentMessage(
  db: Database,
  subscriberIds: readonly number[],
  messageId: string,
): Promise<Set<number>> {
  if (subscriberIds.length === 0) return new Set()
  const rows = await db
    .select({ subscriberId: digests.subscriberId })
    .from(digests)
    .where(and(inArray(digests.subscriberId, [...subscriberIds]), eq(digests.messageId, messageId)))
  return new Set(rows.map((row) => row.subscriberId))
}

export interface PauseState {
  readonly paused: boolean
  readonly reason: string | null
  readonly changedAt: Date | null
  readonly complaints: number
  readonly sent: number
  readonly rate: number
}

export async function readPause(db: Database): Promise<PauseState> {
  const [row] = await db.select().from(sendingPause).where(eq(sendingPause.id, 1))
  return row ?? { paused: false, reason: null, changedAt: null, complaints: 0, sent: 0, rate: 0 }
}

/**
 * Keeps the latest complaint figures and, when `pauseReason` is given, pauses sending.
 * Returns whether this call is the one that paused it, so the pause is announced once however
 * many workers see the threshold crossed together.
 */
export async function recordComplaintRate(
  db: Database,
  figures: { complaints: number; sent: number; rate: number },
  pauseReason: string | undefined,
  now: Date,
): Promise<boolean> {
  await db.update(sendingPause).set(figures).where(eq(sendingPause.id, 1))
  if (pauseReason === undefined) return false
  const paused = await db
    .update(sendingPause)
    .set({ paused: true, reason: pauseReason, changedAt: now })
    .where(and(eq(sendingPause.id, 1), eq(sendingPause.paused, false)))
    .returning({ id: sendingPause.id })
  return paused.length > 0
}

/** Clears the pause; false when sending was not paused. */
export async function clearPause(db: Database, reason: string, now: Date): Promise<boolean> {
  const resumed = await db
    .update(sendingPause)
    .set({ paused: false, reason, changedAt: now })
    .where(and(eq(sendingPause.id, 1), eq(sendingPause.paused, true)))
    .returning({ id: sendingPause.id })
  return resumed.length > 0
}

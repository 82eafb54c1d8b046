import type { Database } from '../db/client.js'
import {
  countComplaintsSince,
  insertFeedback,
  recordComplaintRate,
  subscriberIdsByEmail,
} from '../db/repositories/feedback.js'
import { markBounced, unsubscribeSubscriber } from '../db/repositories/subscribers.js'
import { normalizeEmailAddress } from '../domain/email-address.js'
import {
  type ComplaintPolicy,
  describeComplaintRate,
  judgeComplaintRate,
} from '../domain/feedback/complaint-rate.js'
import type { FeedbackEvent } from '../domain/feedback/types.js'
import type { Logger } from '../logger.js'
import type { SentCounter } from '../queue/sent-counter.js'

export interface FeedbackDeps {
  readonly db: Database
  readonly logger: Logger
  readonly now: () => Date
  readonly policy: ComplaintPolicy
  readonly sentCounter: SentCounter
  /** Told of every report recorded (the metrics' counters). */
  readonly onRecorded?: (event: FeedbackEvent) => void
}

export interface FeedbackReport {
  /** Reports recorded, of each kind. */
  readonly hardBounces: number
  readonly softBounces: number
  readonly complaints: number
  /** Subscribers this made stop receiving mail. */
  readonly suppressed: number
  /** Reports about addresses that are not subscribers (counted, nothing else). */
  readonly unknown: number
  /** Whether digests are paused now because of the complaint rate. */
  readonly paused: boolean
}

/**
 * Records bounces and complaints reported after sending. A hard bounce marks the address
 * bounced (nothing more is sent to it, a new subscribe request included); a complaint
 * unsubscribes it, revoking its links, as RFC 8058 one-click would (only a fresh, confirmed
 * subscription brings it back); a soft bounce is only counted. After a complaint the
 * complaint rate is worked out again, and past the threshold digests are paused, announced
 * once with its figures.
 */
export async function recordFeedback(
  deps: FeedbackDeps,
  events: readonly FeedbackEvent[],
): Promise<FeedbackReport> {
  const now = deps.now()
  const addressed = events.map((event) => {
    const checked = normalizeEmailAddress(event.email)
    return { event, email: checked.ok ? checked.address : event.email.trim() }
  })
  const ids = await subscriberIdsByEmail(
    deps.db,
    addressed.map((a) => a.email),
  )
  const rows = addressed.map(({ event, email }) => ({
    event,
    subscriberId: ids.get(email.toLowerCase()),
  }))
  await insertFeedback(deps.db, rows, now)
  let suppressed = 0
  for (const { event, subscriberId } of rows) {
    deps.onRecorded?.(event)
    if (subscriberId === undefined) continue
    const stopped =
      event.kind === 'hard_bounce'
        ? await markBounced(deps.db, subscriberId, `${event.provider}: ${event.detail}`, now)
        : event.kind === 'complaint'
          ? await unsubscribeSubscriber(deps.db, subscriberId, `complaint (${event.provider})`, now)
          : false
    if (stopped) {
      suppressed++
      deps.logger.info(
        { subscriberId, provider: event.provider, kind: event.kind },
        event.kind === 'complaint' ? 'complaint: unsubscribed' : 'hard bounce: suppressed',
      )
    }
  }
  const count = (kind: FeedbackEvent['kind']) => events.filter((e) => e.kind === kind).length
  const complaints = count('complaint')
  const paused = complaints > 0 ? await judgeComplaints(deps, now) : false
  return {
    hardBounces: count('hard_bounce'),
    softBounces: count('soft_bounce'),
    complaints,
    suppressed,
    unknown: rows.filter((r) => r.subscriberId === undefined).length,
    paused,
  }
}

/** Works the complaint rate out again; pauses digests when it is over the threshold. */
async function judgeComplaints(deps: FeedbackDeps, now: Date): Promise<boolean> {
  const { policy } = deps
  // Sends are counted per UTC day, today's so far included: complaints are counted over the
  // same days, so that the two sides of the rate cover one stretch of time.
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const since = new Date(today - (policy.windowDays - 1) * 24 * 3600 * 1000)
  const verdict = judgeComplaintRate(
    {
      complaints: await countComplaintsSince(deps.db, since),
      sent: await deps.sentCounter.sentInWindow(policy.windowDays, now),
    },
    policy,
  )
  const figures = { complaints: verdict.complaints, sent: verdict.sent, rate: verdict.rate }
  const description = describeComplaintRate(verdict, policy)
  const pausedNow = await recordComplaintRate(
    deps.db,
    figures,
    verdict.overThreshold ? `complaint rate ${description}` : undefined,
    now,
  )
  if (pausedNow) {
    deps.logger.error(
      { ...figures, threshold: policy.threshold, windowDays: policy.windowDays },
      `digest sending paused: complaint rate ${description}; resume with \`paperboy sending resume\` or POST /admin/sending/resume`,
    )
  }
  return verdict.overThreshold
}

import type { Queue } from 'bullmq'
import type { Database } from '../db/client.js'
import { releaseConfirmationSlot, subscribe } from '../db/repositories/subscribers.js'
import { listTopics } from '../db/repositories/topics.js'
import { normalizeEmailAddress } from '../domain/email-address.js'
import {
  checkPreferences,
  type FieldErrors,
  subscriptionRequestSchema,
} from '../domain/preferences.js'
import type { AddressLimiter } from '../queue/address-limit.js'
import type { MailJob } from '../queue/queues.js'

export interface SubscriptionDeps {
  readonly db: Database
  readonly mailQueue: Queue<MailJob>
  readonly limitAddress: AddressLimiter
  readonly now: () => Date
}

export type SubscriptionRequestResult =
  | { ok: true; email: string }
  | { ok: false; errors: FieldErrors }
  | { ok: false; retryAfterSeconds: number }

/**
 * One subscribe request, from the form or the JSON API: validate everything, record it,
 * and queue the one email (if any) the address should get. The caller answers the same
 * way whatever happened to the address, so the result says nothing about who is subscribed.
 */
export async function requestSubscription(
  raw: unknown,
  deps: SubscriptionDeps,
): Promise<SubscriptionRequestResult> {
  const topics = await listTopics(deps.db)
  const checked = checkPreferences(
    raw,
    new Set(topics.map((t) => t.slug)),
    subscriptionRequestSchema,
  )
  const emailValue = (raw as { email?: unknown } | null)?.email
  const address = typeof emailValue === 'string' ? normalizeEmailAddress(emailValue) : undefined
  const errors: FieldErrors = checked.ok ? {} : { ...checked.errors }
  if (address && !address.ok) errors.email = address.reason
  if (!checked.ok || !address?.ok || Object.keys(errors).length > 0) {
    return { ok: false, errors: Object.keys(errors).length > 0 ? errors : { email: 'is required' } }
  }

  const limit = await deps.limitAddress(address.address)
  if (!limit.allowed) return { ok: false, retryAfterSeconds: limit.retryAfterSeconds }

  const now = deps.now()
  const outcome = await subscribe(deps.db, address.address, checked.value, now)
  if (outcome.mail && outcome.slot) {
    try {
      await deps.mailQueue.add(outcome.mail, {
        kind: outcome.mail,
        subscriberId: outcome.subscriberId,
      })
    } catch (error) {
      await releaseConfirmationSlot(deps.db, outcome.subscriberId, outcome.slot)
      throw error
    }
  }
  return { ok: true, email: address.address }
}

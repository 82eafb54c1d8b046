import type { Queue } from 'bullmq'
import type { Database } from '../db/client.js'
import { listTopics } from '../db/repositories/topics.js'
import { normalizeEmailAddress } from '../domain/email-address.js'
import {
  checkPreferences,
  type FieldErrors,
  subscriptionRequestSchema,
} from '../domain/preferences.js'
import type { MailJob } from '../queue/queues.js'

export type LimitCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Counts one request for `address`; refuses once it has had its share of the current window. */
export type AddressLimiter = (address: string) => Promise<LimitCheck>

export interface SubscriptionDeps {
  readonly db: Database
  readonly mailQueue: Queue<MailJob>
  readonly limitAddress: AddressLimiter
}

export type SubscriptionRequestResult =
  | { ok: true; email: string }
  | { ok: false; errors: FieldErrors }
  | { ok: false; retryAfterSeconds: number }

/**
 * Personal data in a queued request is kept only until the worker has recorded it; a request
 * that failed every attempt is kept a day for the operator to see why.
 */
const SUBSCRIBE_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } }

/**
 * One subscribe request, from the form or the JSON API: validate everything, count it
 * against the address's limit, and queue it. Whether the address is new, pending, active or
 * bounced is decided by the worker (recordSubscription): the request does the same work, and
 * the caller gives the same answer, whatever the address, so neither the answer nor its
 * timing says who is subscribed.
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

  await deps.mailQueue.add(
    'subscribe',
    { kind: 'subscribe', email: address.address, preferences: checked.value },
    SUBSCRIBE_JOB_OPTIONS,
  )
  return { ok: true, email: address.address }
}

import type { Database } from '../db/client.js'
import { confirmSubscriber } from '../db/repositories/subscribers.js'
import type { SubscriberStatus } from '../domain/subscription-lifecycle.js'

/**
 * Whether a confirmation link may still confirm: its address is pending, or active already
 * (pressing the button twice is fine). A bounced address stays bounced, and an unsubscribed
 * one must subscribe again: an old confirmation link brings neither back.
 */
export function confirmable(status: SubscriberStatus): boolean {
  return status === 'pending' || status === 'active'
}

/**
 * Confirms a subscription: pending becomes active (from then on its digests are scheduled at
 * the subscriber's hour), idempotently. True when the address is active now.
 */
export async function confirmSubscription(
  deps: { readonly db: Database; readonly now: () => Date },
  subscriberId: number,
): Promise<boolean> {
  return (await confirmSubscriber(deps.db, subscriberId, deps.now())) === 'active'
}

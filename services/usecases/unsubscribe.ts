import type { Database } from '../db/client.js'
import {
  findSubscriber,
  type Subscriber,
  unsubscribeSubscriber,
} from '../db/repositories/subscribers.js'
import type { SubscriberStatus } from '../domain/subscription-lifecycle.js'

/** How the request came: the unsubscribe page's button, or a mail client's one-click POST. */
export type UnsubscribeVia = 'page' | 'one-click'

const REASONS: Record<UnsubscribeVia, string> = {
  page: 'unsubscribe page',
  'one-click': 'one-click unsubscribe (RFC 8058)',
}

/**
 * Unsubscribing, at once and idempotently: a pending or active address becomes unsubscribed,
 * gets no more digests, and every link sent to it so far stops working (this one too), so a
 * forwarded email can neither undo it nor open the preferences. The change is recorded with
 * how it was asked for. Returns the subscriber as they are now: links made from it carry
 * the new token version, so the answer can offer the preferences and resubscribing.
 */
export async function unsubscribe(
  deps: { readonly db: Database; readonly now: () => Date },
  subscriberId: number,
  via: UnsubscribeVia,
): Promise<Subscriber | undefined> {
  await unsubscribeSubscriber(deps.db, subscriberId, REASONS[via], deps.now())
  return findSubscriber(deps.db, subscriberId)
}

/**
 * Whether a revoked unsubscribe link belongs to an address that is unsubscribed (or bounced)
 * already: posting it again asks for what is done, so it answers "unsubscribed", with no
 * fresh links, and changes nothing.
 */
export function alreadyUnsubscribed(status: SubscriberStatus): boolean {
  return status === 'unsubscribed' || status === 'bounced'
}

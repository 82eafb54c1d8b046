import type { Database } from '../db/client.js'
import { revokeAllLinks } from '../db/repositories/subscribers.js'

/**
 * "Sign out all links": every link in the emails sent so far stops working, this one too;
 * the next email carries new ones. For someone whose email was forwarded, or whose mailbox
 * was read by someone else. False when there is no such subscriber.
 */
export function signOutAllLinks(
  deps: { readonly db: Database; readonly now: () => Date },
  subscriberId: number,
): Promise<boolean> {
  return revokeAllLinks(deps.db, subscriberId, deps.now())
}

import type { Database } from '../db/client.js'
import { deleteSubscriber } from '../db/repositories/subscribers.js'

/**
 * "Delete all my data": the subscriber's row goes, and with it (the foreign keys cascade)
 * their interests, topics, status history, digests and matches. Nothing of them is kept;
 * subscribing again starts afresh. False when there was nothing to delete.
 */
export function deleteSubscriberData(
  deps: { readonly db: Database },
  subscriberId: number,
): Promise<boolean> {
  return deleteSubscriber(deps.db, subscriberId)
}

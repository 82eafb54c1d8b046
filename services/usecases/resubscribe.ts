import type { Queue } from 'bullmq'
import type { Database } from '../db/client.js'
import { releaseConfirmationSlot, resubscribeSubscriber } from '../db/repositories/subscribers.js'
import type { MailJob } from '../queue/queues.js'

/**
 * An unsubscribed address asks to come back from its preference centre: it becomes pending
 * (every earlier link revoked) and gets a fresh confirmation email. False when the address
 * was not unsubscribed, and nothing changed.
 */
export async function requestResubscription(
  db: Database,
  mailQueue: Queue<MailJob>,
  subscriberId: number,
  now: Date,
): Promise<boolean> {
  if (!(await resubscribeSubscriber(db, subscriberId, now))) return false
  try {
    await mailQueue.add('confirm', { kind: 'confirm', subscriberId })
  } catch (error) {
    // Lets the subscribe form send the confirmation at once instead of after the cool-down.
    await releaseConfirmationSlot(db, subscriberId, now)
    throw error
  }
  return true
}

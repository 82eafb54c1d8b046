import { UnrecoverableError } from 'bullmq'
import { releaseConfirmationSlot, subscribe } from '../db/repositories/subscribers.js'
import type { SubscribeJob } from '../queue/queues.js'
import {
  sendTransactional,
  type TransactionalDeps,
  type TransactionalResult,
} from './send-transactional.js'

/**
 * Records a queued subscribe request as the address's state decides (a new, pending or
 * unsubscribed address takes the preferences; an active one keeps its own) and sends the one
 * email it calls for, in the same job: one turn of the mail queue's rate limit, and no second
 * wait behind the digests. When sending fails in a way worth retrying, the address's
 * once-per-cool-down slot is given back first, so that the retry, recording the same request
 * again, takes it and sends.
 */
export async function recordSubscription(
  job: SubscribeJob,
  deps: TransactionalDeps,
): Promise<TransactionalResult> {
  const outcome = await subscribe(deps.db, job.email, job.preferences, deps.now())
  if (!outcome.mail || !outcome.slot) return 'skipped'
  try {
    return await sendTransactional({ kind: outcome.mail, subscriberId: outcome.subscriberId }, deps)
  } catch (error) {
    if (!(error instanceof UnrecoverableError)) {
      await releaseConfirmationSlot(deps.db, outcome.subscriberId, outcome.slot)
    }
    throw error
  }
}

import type { MailJob } from '../queue/queues.js'
import { recordSubscription } from './record-subscription.js'
import { type DigestDeps, type DigestResult, sendDigest } from './send-digest.js'
import { sendTransactional, type TransactionalResult } from './send-transactional.js'

/** The one processor of the mail queue: digests and transactional emails share its rate limit. */
export function sendMail(
  job: MailJob,
  deps: DigestDeps,
): Promise<DigestResult | TransactionalResult> {
  switch (job.kind) {
    case 'digest':
      return sendDigest(job, deps)
    case 'subscribe':
      return recordSubscription(job, deps)
    default:
      return sendTransactional(job, deps)
  }
}

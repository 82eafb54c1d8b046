import { DelayedError, type Job } from 'bullmq'
import { readPause } from '../db/repositories/feedback.js'
import type { MailJob } from '../queue/queues.js'
import type { SentCounter } from '../queue/sent-counter.js'
import type { DigestDeps, DigestResult } from './send-digest.js'
import { sendMail } from './send-mail.js'
import type { TransactionalResult } from './send-transactional.js'

/** How long a digest held back by a pause waits before it looks again (a resume releases it at once). */
export const PAUSED_RECHECK_MS = 10 * 60_000

export interface MailJobDeps extends DigestDeps {
  /** Counts digests sent, for the complaint rate. */
  readonly sentCounter: SentCounter
}

/**
 * The mail queue's processor. While sending is paused (complaints over the threshold) a
 * digest job goes back to the delayed set untouched, its attempts not spent, and nothing is
 * claimed: it runs when an operator resumes (see resumeSending). Confirmations and notices go
 * on, since a person waits for them and they are sent only on that person's request.
 */
export async function processMailJob(
  job: Job<MailJob>,
  token: string | undefined,
  deps: MailJobDeps,
): Promise<DigestResult | TransactionalResult> {
  if (job.data.kind === 'digest' && (await readPause(deps.db)).paused) {
    // BullMQ's delayed set runs on the real clock, whatever clock the deps carry.
    await job.moveToDelayed(Date.now() + PAUSED_RECHECK_MS, token)
    throw new DelayedError('digest sending is paused')
  }
  const result = await sendMail(job.data, deps)
  if (job.data.kind === 'digest' && result === 'sent') {
    // The digest is out and recorded: a counter that cannot be written must not fail the job.
    await deps.sentCounter.recordSent(deps.now()).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not count a sent digest for the complaint rate')
    })
  }
  return result
}

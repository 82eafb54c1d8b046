import type { Database } from '../db/client.js'
import { clearPause, type PauseState, readPause } from '../db/repositories/feedback.js'
import type { Logger } from '../logger.js'
import type { Queues } from '../queue/queues.js'

export interface SendingPauseDeps {
  readonly db: Database
  readonly queues: Pick<Queues, 'mail'>
  readonly logger: Logger
  readonly now: () => Date
}

export type SendingStatus = PauseState

export const sendingStatus = (deps: Pick<SendingPauseDeps, 'db'>): Promise<SendingStatus> =>
  readPause(deps.db)

/**
 * An operator's "go on": clears the pause and puts the digest jobs that were held back in
 * front of the queue again. Each job still holds its one (subscriber, period) digest, claimed
 * only when it runs, so every held digest goes out once. Returns how many jobs were released.
 */
export async function resumeSending(
  deps: SendingPauseDeps,
  by: string,
): Promise<{ wasPaused: boolean; released: number }> {
  const wasPaused = await clearPause(deps.db, `resumed by ${by}`, deps.now())
  const released = await releaseHeldDigests(deps.queues)
  if (wasPaused) deps.logger.warn({ by, released }, `digest sending resumed by ${by}`)
  return { wasPaused, released }
}

const PAGE = 500

/** Delayed digest jobs become waiting; a job that moved on meanwhile is left as it is. */
async function releaseHeldDigests(queues: Pick<Queues, 'mail'>): Promise<number> {
  let released = 0
  // Promoting a job takes it out of the delayed set, so the first page is read again until empty.
  for (let skipped = 0; ; ) {
    const jobs = await queues.mail.getDelayed(skipped, skipped + PAGE - 1)
    if (jobs.length === 0) return released
    for (const job of jobs) {
      if (job.data.kind !== 'digest') {
        skipped++
        continue
      }
      try {
        await job.promote()
        released++
      } catch {
        skipped++
      }
    }
  }
}

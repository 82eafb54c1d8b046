import type { Job, Queue, QueueEvents } from 'bullmq'
import type { Deadline } from './deadline.js'

export interface JobSummary {
  /** How many jobs ended with each result (`sent`, `empty`, …). */
  readonly results: Record<string, number>
  /** `<job id>: <why>` for each job that failed for good. */
  readonly failed: readonly string[]
}

/** Jobs listed in a timeout's one line; the rest are counted. */
const LISTED = 3

/**
 * Waits for these jobs to finish, telling `progress` each time an attempt fails and is
 * retried (with its cause), and gives up at the deadline saying which are still pending.
 */
export async function waitForJobs(
  queue: Queue,
  events: QueueEvents,
  ids: readonly string[],
  deadline: Deadline,
  progress: (message: string) => void,
): Promise<JobSummary> {
  const results: Record<string, number> = {}
  const failed: string[] = []
  const pending = new Set(ids)
  const onRetry = async ({ jobId }: { jobId: string }) => {
    if (!pending.has(jobId)) return
    const job = await queue.getJob(jobId).catch(() => undefined)
    if (job?.failedReason) progress(`${jobId}: ${attemptFailed(job)}; retrying`)
  }
  events.on('delayed', onRetry)
  const finished = Promise.all(
    ids.map(async (id) => {
      const job = await queue.getJob(id)
      try {
        if (!job) return
        const result = String(await job.waitUntilFinished(events))
        results[result] = (results[result] ?? 0) + 1
      } catch (error) {
        failed.push(`${id}: ${(error as Error).message}`)
      } finally {
        pending.delete(id)
      }
    }),
  )
  try {
    await deadline.race(finished, async () => {
      const still = [...pending]
      const listed = await Promise.all(still.slice(0, LISTED).map((id) => describeJob(queue, id)))
      const more = still.length > LISTED ? `, and ${still.length - LISTED} more` : ''
      const done = Object.values(results).reduce((sum, n) => sum + n, 0)
      return `${still.length} of ${ids.length} ${queue.name} job(s) still pending (${listed.join('; ')}${more}); ${done} finished, ${failed.length} failed so far`
    })
  } finally {
    events.off('delayed', onRetry)
  }
  return { results, failed }
}

async function describeJob(queue: Queue, id: string): Promise<string> {
  const job = await queue.getJob(id)
  if (!job) return `${id}: gone`
  const state = await job.getState()
  return job.failedReason ? `${id}: ${state}, ${attemptFailed(job)}` : `${id}: ${state}`
}

function attemptFailed(job: Job): string {
  return `attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1} failed: ${job.failedReason}`
}

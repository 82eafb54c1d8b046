import type { MatchJob } from '../queue/queues.js'

/**
 * Matching of new papers against subscribers' interests. New papers stay in the `pending`
 * match state until the matcher has seen them, so nothing is lost while it is not running.
 */
export async function matchPapers(job: MatchJob): Promise<{ papers: number }> {
  return { papers: job.paperIds.length }
}

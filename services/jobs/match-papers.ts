import type { Metrics } from '../metrics.js'
import type { MatchJob } from '../queue/queues.js'
import type { Matcher } from '../usecases/matcher.js'

/** The match queue's processor: one batch of new papers through this process's matcher. */
export function matchPapersJob(matcher: Matcher, metrics?: Metrics) {
  return async (job: { data: MatchJob }) => {
    const result = await matcher.matchPapers(job.data.paperIds)
    metrics?.matchesMade.inc(result.matches)
    return result
  }
}

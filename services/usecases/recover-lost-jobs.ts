import { createHash } from 'node:crypto'
import type { Database } from '../db/client.js'
import {
  findUnfinishedDigests,
  findUnmatchedPapers,
  lastDigestId,
} from '../db/repositories/unfinished-work.js'
import { digestJobId, type Queues } from '../queue/queues.js'

/** Work older than this with no outcome is assumed lost from Redis and queued again. */
export const RECOVER_AFTER_MS = 10 * 60_000
/**
 * Digests opened longer ago than this are not queued again: a send retries for about four
 * hours, so what is still unfinished after two days is left for an operator, not sent late.
 */
export const RECOVER_WITHIN_MS = 48 * 3_600_000
const BATCH = 1_000

/**
 * The database, not Redis, is the record of what is owed: a digest row `pending`/`sending`
 * or a paper `match_state = 'pending'` that is older than a grace period is queued again,
 * with the job id it was first queued with. While the original job still exists in Redis
 * (waiting, delayed for a retry, running) the add is a no-op; after Redis lost it (FLUSHALL,
 * a restart without persistence, a failover) it comes back. The processors re-read state, so
 * a job for a digest that finished meanwhile does nothing, and one for a digest left
 * `sending` marks it `uncertain` rather than sending twice.
 *
 * One per worker process (the tick runs there). It remembers where unfinished digests start,
 * so after the first look each sweep reads only recent rows through the primary key.
 */
export class LostJobRecovery {
  private fromId = 0
  /** The last id seen, and when: once older than the grace period, every row up to it has committed. */
  private seen: { id: number; at: number } | undefined

  constructor(private readonly recoverAfterMs: number = RECOVER_AFTER_MS) {}

  async sweep(deps: {
    db: Database
    queues: Pick<Queues, 'mail' | 'match'>
    now: () => Date
  }): Promise<{ digests: number; papers: number }> {
    const now = deps.now().getTime()
    const before = new Date(now - this.recoverAfterMs)
    const { stale, lowestUnfinishedId } = await findUnfinishedDigests(
      deps.db,
      this.fromId,
      { after: new Date(now - RECOVER_WITHIN_MS), before },
      BATCH,
    )
    // Rows up to an id seen over a grace period ago have all committed: below the lowest
    // unfinished one among them, nothing can be pending again.
    if (this.seen && now - this.seen.at > this.recoverAfterMs) {
      this.fromId = Math.min(lowestUnfinishedId ?? Number.POSITIVE_INFINITY, this.seen.id + 1)
      this.seen = undefined
    }
    if (this.seen === undefined) this.seen = { id: await lastDigestId(deps.db), at: now }
    if (stale.length > 0) {
      await deps.queues.mail.addBulk(
        stale.map((d) => {
          const data = { kind: 'digest' as const, subscriberId: d.subscriberId, period: d.period }
          return {
            name: 'digest',
            data: { ...data, extra: d.extra },
            opts: { jobId: digestJobId(data) },
          }
        }),
      )
    }
    const paperIds = await findUnmatchedPapers(deps.db, before, BATCH)
    if (paperIds.length > 0) {
      // The same unmatched papers get the same id, so a sweep does not pile up copies.
      const jobId = `recover-${createHash('sha256').update(paperIds.join('\n')).digest('hex').slice(0, 32)}`
      await deps.queues.match.add('match', { paperIds }, { jobId })
    }
    return { digests: stale.length, papers: paperIds.length }
  }
}

import type { Database } from '../db/client.js'
import { type DueDigest, takeDueSubscribers } from '../db/repositories/digests.js'
import { nextSendTime, periodKey } from '../domain/schedule.js'
import { digestJobId, type Queues } from '../queue/queues.js'

const BATCH = 1_000

/**
 * Finds every subscriber whose digest is due, queues one job per (subscriber, period) with a
 * deterministic id, and moves their next-send time on. Running it twice for the same minute
 * queues nothing twice: the ids collide, and the digest row is unique per period anyway.
 */
export async function runDigestTick(deps: {
  db: Database
  queues: Pick<Queues, 'mail'>
  now: () => Date
}) {
  const now = deps.now()
  const queued: DueDigest[] = []
  for (;;) {
    const taken = await takeDueSubscribers(
      deps.db,
      now,
      BATCH,
      (row) => ({
        period: periodKey(row, row.nextSendAt ?? now),
        next: nextSendTime(row, now),
      }),
      async (due) => {
        queued.push(...due)
        await deps.queues.mail.addBulk(
          due.map((d) => ({
            name: 'digest',
            data: { kind: 'digest' as const, ...d, extra: false },
            opts: { jobId: digestJobId(d) },
          })),
        )
      },
    )
    if (taken < BATCH) return { queued }
  }
}

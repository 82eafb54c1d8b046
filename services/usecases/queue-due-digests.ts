import { announcementCalendar } from '../announcement-calendar.js'
import type { Database } from '../db/client.js'
import { type DueDigest, takeDueSubscribers } from '../db/repositories/due-digests.js'
import { type DeliverySchedule, nextSendTime, periodKey } from '../domain/schedule.js'
import { digestJobId, type Queues } from '../queue/queues.js'

const BATCH = 1_000

/**
 * The scheduler tick: finds every subscriber whose digest is due, queues one job per
 * (subscriber, period) with a deterministic id, and moves their next-send time on. Running it
 * twice for the same minute queues nothing twice: the ids collide, and the digest row is
 * unique per period anyway.
 */
export async function queueDueDigests(deps: {
  db: Database
  queues: Pick<Queues, 'mail'>
  now: () => Date
}) {
  const now = deps.now()
  const calendar = announcementCalendar()
  const queued: DueDigest[] = []
  // Subscribers due in the same minute mostly share a zone, hour and frequency, and working
  // out a local time is costly: each distinct schedule is worked out once per tick.
  const plans = new Map<string, { period: string; next: Date }>()
  const plan = (row: DeliverySchedule & { nextSendAt: Date | null }) => {
    const dueAt = row.nextSendAt ?? now
    const key = `${row.timezone} ${row.frequency} ${row.weekday} ${row.hour} ${dueAt.getTime()}`
    let found = plans.get(key)
    if (found === undefined) {
      found = {
        period: periodKey(row, dueAt, calendar),
        next: nextSendTime(row, now, calendar),
      }
      plans.set(key, found)
    }
    return found
  }
  for (;;) {
    const taken = await takeDueSubscribers(deps.db, now, BATCH, plan, async (due) => {
      queued.push(...due)
      await deps.queues.mail.addBulk(
        due.map((d) => ({
          name: 'digest',
          data: { kind: 'digest' as const, ...d, extra: false },
          opts: { jobId: digestJobId(d) },
        })),
      )
    })
    if (taken < BATCH) return { queued }
  }
}

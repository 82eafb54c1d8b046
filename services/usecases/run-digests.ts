import type { Database } from '../db/client.js'
import { subscribersWithPendingMatches } from '../db/repositories/digest-content.js'
import { digestJobId, type Queues } from '../queue/queues.js'
import { queueDueDigests } from './queue-due-digests.js'
import { subscriberByAddress } from './subscriber-by-address.js'

export interface DigestRunDeps {
  readonly db: Database
  readonly queues: Pick<Queues, 'mail'>
  readonly now: () => Date
}

/**
 * `digest run`: without `now`, queues the digests that are due (what the scheduler tick does);
 * with `now`, an extra digest for every active subscriber with undelivered matches (or just
 * one address), whatever the hour. Returns the queued job ids.
 */
export async function runDigests(
  deps: DigestRunDeps,
  options: { now: boolean; email?: string | undefined },
): Promise<string[]> {
  const onlyId =
    options.email === undefined ? undefined : (await subscriberByAddress(deps.db, options.email)).id
  if (!options.now) {
    const { queued } = await queueDueDigests(deps)
    return queued.filter((d) => onlyId === undefined || d.subscriberId === onlyId).map(digestJobId)
  }
  const ids = await subscribersWithPendingMatches(deps.db, onlyId)
  // An extra digest is its own period: it never takes the place of the scheduled one.
  const period = `now-${deps.now().toISOString().replace(/[-:.]/g, '')}`
  const jobs = ids.map((subscriberId) => ({
    kind: 'digest' as const,
    subscriberId,
    period,
    extra: true,
  }))
  await deps.queues.mail.addBulk(
    jobs.map((data) => ({ name: 'digest', data, opts: { jobId: digestJobId(data) } })),
  )
  return jobs.map(digestJobId)
}

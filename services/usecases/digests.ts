import type { Database } from '../db/client.js'
import {
  pendingContent,
  subscribersWithPendingMatches,
  trendingCandidates,
} from '../db/repositories/digests.js'
import { findSubscriber, findSubscriberIdByEmail } from '../db/repositories/subscribers.js'
import { composeDigest } from '../domain/digest.js'
import { normalizeEmailAddress } from '../domain/email-address.js'
import { describeSchedule } from '../domain/schedule-label.js'
import { TRENDING } from '../domain/seed-topics.js'
import { runDigestTick } from '../jobs/digest-tick.js'
import { toComposeInput, topicNames } from '../jobs/send-digest.js'
import type { Links } from '../links.js'
import type { MailRenderer, RenderedEmail } from '../mail/render.js'
import { digestJobId, type Queues } from '../queue/queues.js'

export interface DigestRunDeps {
  readonly db: Database
  readonly queues: Pick<Queues, 'mail'>
  readonly now: () => Date
}

/** Thrown for a request that names nobody who can get a digest. */
export class NoSuchSubscriberError extends Error {}

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
    options.email === undefined ? undefined : await activeSubscriberId(deps.db, options.email)
  if (!options.now) {
    const { queued } = await runDigestTick(deps)
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

/** A subscriber's next digest: how many papers, and the email unless there are none. */
export interface DigestPreview {
  readonly total: number
  readonly rendered?: RenderedEmail
}

/** `preview`: the next digest of one subscriber, rendered, nothing claimed or sent. */
export async function previewDigest(
  deps: { db: Database; renderer: MailRenderer; links: Links; now: () => Date },
  email: string,
): Promise<DigestPreview> {
  const id = await activeSubscriberId(deps.db, email, { allowInactive: true })
  const subscriber = await findSubscriber(deps.db, id)
  if (!subscriber) throw new NoSuchSubscriberError(`no subscriber with the address ${email}`)
  const rows = await pendingContent(deps.db, subscriber.id)
  if (subscriber.topics.includes(TRENDING)) {
    const pending = new Set(rows.map((r) => r.paper.id))
    for (const paper of await trendingCandidates(deps.db, subscriber.id, deps.now())) {
      // As in the digest itself: a paper already there for another reason is not repeated.
      if (pending.has(paper.id)) continue
      rows.push({ paper, reasons: [{ kind: 'topic', slug: TRENDING, words: [] }] })
    }
  }
  const composed = composeDigest(toComposeInput(rows, await topicNames(deps.db)))
  // Nothing would be sent, so there is nothing to show.
  if (composed.total === 0) return { total: 0 }
  const rendered = await deps.renderer.digest({
    digest: composed,
    // Nothing is sent yet, so there is no web view; the preferences page stands in for it.
    webViewUrl: deps.links.preferences(subscriber),
    preferencesUrl: deps.links.preferences(subscriber),
    unsubscribeUrl: deps.links.unsubscribe(subscriber),
    feedUrl: deps.links.feed(subscriber),
    frequencyLabel: describeSchedule(subscriber),
  })
  return { total: composed.total, rendered }
}

async function activeSubscriberId(
  db: Database,
  email: string,
  options: { allowInactive?: boolean } = {},
): Promise<number> {
  const address = normalizeEmailAddress(email)
  if (!address.ok) throw new NoSuchSubscriberError(`--email ${address.reason}`)
  const id = await findSubscriberIdByEmail(db, address.address)
  const subscriber = id === undefined ? undefined : await findSubscriber(db, id)
  if (!subscriber)
    throw new NoSuchSubscriberError(`no subscriber with the address ${address.address}`)
  if (!options.allowInactive && subscriber.status !== 'active') {
    throw new NoSuchSubscriberError(
      `${address.address} is ${subscriber.status}, not active: it gets no digests`,
    )
  }
  return subscriber.id
}

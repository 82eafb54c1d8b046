import type { Database } from '../db/client.js'
import { deliveredMatches, subscribedSince } from '../db/repositories/feed.js'
import { listAllTopics } from '../db/repositories/topics.js'
import type { StoredReason } from '../db/schema/index.js'
import type { DigestReason } from '../domain/digest.js'
import { composeFeed, FEED_ITEM_LIMIT, type FeedFormat } from '../domain/feed.js'
import { type RenderedFeed, renderFeed } from '../feed/render.js'
import type { LinkSubject, Links } from '../links.js'
import { mutedFor } from './digest-content.js'

export interface PersonalFeedDeps {
  readonly db: Database
  readonly links: Links
  readonly publicUrl: string
  readonly productName?: string
}

export interface ServedFeed extends RenderedFeed {
  /**
   * When what the feed shows last changed: its newest delivery, or a paper in it updated at
   * its source since (a new version's abstract). For Last-Modified; the ETag covers the rest.
   */
  readonly lastModified: Date
}

/** One subscriber's feed in one format: the papers their digests carried, newest first. */
export async function personalFeed(
  deps: PersonalFeedDeps,
  subscriber: LinkSubject,
  format: FeedFormat,
): Promise<ServedFeed> {
  const [delivered, names, since, muted] = await Promise.all([
    deliveredMatches(deps.db, subscriber.id, FEED_ITEM_LIMIT),
    topicNames(deps.db),
    subscribedSince(deps.db, subscriber.id),
    mutedFor(deps.db, subscriber.id),
  ])
  // The same NOT clauses as the digests: a paper muted since it was delivered leaves the feed.
  const rows = delivered.filter((row) => !muted(row.paper))
  const feed = composeFeed(
    rows.map((row) => ({
      paper: row.paper,
      reasons: row.reasons.map((r) => digestReason(r, names)),
      deliveredAt: row.deliveredAt,
    })),
    since ?? new Date(0),
  )
  const rendered = renderFeed(format, feed, {
    productName: deps.productName ?? 'Paperboy',
    homeUrl: `${deps.publicUrl}/`,
    feedUrl: (f) => deps.links.feed(subscriber, f),
    authority: new URL(deps.publicUrl).hostname,
    subscriberId: subscriber.id,
  })
  const times = [feed.updatedAt, ...rows.map((r) => r.paper.updatedAt)].map((d) => d.getTime())
  return { ...rendered, lastModified: new Date(Math.max(...times)) }
}

async function topicNames(db: Database): Promise<Map<string, string>> {
  return new Map((await listAllTopics(db)).map((t) => [t.slug, t.name]))
}

/** A reason as stored with the match, named as the digest names it. */
function digestReason(stored: StoredReason, names: ReadonlyMap<string, string>): DigestReason {
  const words = [...stored.words]
  if (stored.kind === 'interest')
    return { source: { kind: 'interest', line: stored.line ?? '' }, words }
  const slug = stored.slug ?? ''
  return { source: { kind: 'topic', slug, name: names.get(slug) ?? slug }, words }
}

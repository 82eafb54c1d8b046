import type { FeedFormat } from '../domain/feed.js'

/** What a feed says about itself, besides its items. */
export interface FeedContext {
  readonly productName: string
  /** The public home page. */
  readonly homeUrl: string
  /** This subscriber's feed in each format (the `self` links). */
  readonly feedUrl: (format: FeedFormat) => string
  /** The host of PUBLIC_URL: the authority of the feed's and items' tag: ids (RFC 4151). */
  readonly authority: string
  readonly subscriberId: number
}

// The date in a tag: URI only makes it unique to whoever held the name then; it never changes,
// so ids stay the same across deployments and upgrades and readers never show an item twice.
const TAG_DATE = '2026'

export const feedId = (c: FeedContext) => `tag:${c.authority},${TAG_DATE}:feed/${c.subscriberId}`

export const itemId = (c: FeedContext, paperId: string) =>
  `tag:${c.authority},${TAG_DATE}:paper/${encodeURIComponent(paperId)}`

export const feedTitle = (c: FeedContext) => `${c.productName}: your papers`

export const feedDescription = (c: FeedContext) =>
  `Research papers that matched your ${c.productName} interests and topics, newest first.`

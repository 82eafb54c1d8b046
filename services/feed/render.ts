import type { FeedFormat, PersonalFeed } from '../domain/feed.js'
import { atomFeed } from './atom.js'
import type { FeedContext } from './context.js'
import { jsonFeed } from './json-feed.js'
import { rssFeed } from './rss.js'

export type { FeedContext } from './context.js'

export interface RenderedFeed {
  readonly contentType: string
  readonly body: string
}

/** The media type of each format, as served and as named in `<link rel="alternate">`. */
export const FEED_MEDIA_TYPES: Readonly<Record<FeedFormat, string>> = {
  atom: 'application/atom+xml',
  rss: 'application/rss+xml',
  json: 'application/feed+json',
}

const WRITERS: Readonly<Record<FeedFormat, typeof atomFeed>> = {
  atom: atomFeed,
  rss: rssFeed,
  json: jsonFeed,
}

/** The feed in one format, with the content type to serve it as. */
export function renderFeed(
  format: FeedFormat,
  feed: PersonalFeed,
  context: FeedContext,
): RenderedFeed {
  return {
    contentType: `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
    body: WRITERS[format](feed, context),
  }
}

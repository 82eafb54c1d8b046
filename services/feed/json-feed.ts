import type { FeedItem, PersonalFeed } from '../domain/feed.js'
import { type FeedContext, feedDescription, feedTitle, itemId } from './context.js'
import { itemHtml, itemText } from './item-content.js'

/**
 * The feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1). `date_published` is when an
 * item reached the subscriber; `_paperboy` (an extension, as the spec allows) says why, in
 * parts a program can read.
 */
export function jsonFeed(feed: PersonalFeed, context: FeedContext): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feedTitle(context),
    home_page_url: context.homeUrl,
    feed_url: context.feedUrl('json'),
    description: feedDescription(context),
    language: 'en',
    authors: [{ name: context.productName, url: context.homeUrl }],
    items: feed.items.map((item) => jsonItem(item, context)),
  })
}

function jsonItem(item: FeedItem, context: FeedContext) {
  return {
    id: itemId(context, item.paperId),
    ...(item.url ? { url: item.url } : {}),
    title: item.title,
    content_html: itemHtml(item),
    content_text: itemText(item),
    summary: item.excerpt,
    date_published: item.deliveredAt.toISOString(),
    ...(item.authors.length > 0 ? { authors: item.authors.map((name) => ({ name })) } : {}),
    tags: item.reasons.map((r) => r.label),
    _paperboy: {
      about: context.homeUrl,
      paper_id: item.paperId,
      paper_published: item.paperPublishedAt?.toISOString() ?? null,
      matched: item.reasons.map((r) => ({ kind: r.kind, name: r.label, words: r.words })),
    },
  }
}

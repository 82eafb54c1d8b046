import { authorLine, type FeedItem, type PersonalFeed } from '../domain/feed.js'
import { type FeedContext, feedDescription, feedTitle, itemId } from './context.js'
import { itemHtml } from './item-content.js'
import { createXmlBuilder, XML_DECLARATION } from './xml.js'

const xml = createXmlBuilder({ format: true })

/**
 * The feed as RSS 2.0, with the `atom:link rel="self"` and `dc:creator` every validator asks
 * for (RSS's own `author` must be an email address). `pubDate` is when an item reached the
 * subscriber.
 */
export function rssFeed(feed: PersonalFeed, context: FeedContext): string {
  return xml.build({
    ...XML_DECLARATION,
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      channel: {
        title: feedTitle(context),
        link: context.homeUrl,
        description: feedDescription(context),
        language: 'en',
        lastBuildDate: feed.updatedAt.toUTCString(),
        generator: context.productName,
        'atom:link': {
          '@_href': context.feedUrl('rss'),
          '@_rel': 'self',
          '@_type': 'application/rss+xml',
        },
        item: feed.items.map((item) => rssItem(item, context)),
      },
    },
  })
}

function rssItem(item: FeedItem, context: FeedContext) {
  const authors = authorLine(item)
  return {
    title: item.title,
    link: item.url ?? undefined,
    guid: { '@_isPermaLink': 'false', '#text': itemId(context, item.paperId) },
    pubDate: item.deliveredAt.toUTCString(),
    description: itemHtml(item),
    'dc:creator': authors !== '' ? authors : undefined,
    category: item.reasons.map((r) => r.label),
  }
}

import type { FeedItem, PersonalFeed } from '../domain/feed.js'
import { type FeedContext, feedDescription, feedId, feedTitle, itemId } from './context.js'
import { itemHtml } from './item-content.js'
import { createXmlBuilder, XML_DECLARATION } from './xml.js'

const xml = createXmlBuilder({ format: true })

/** The feed as Atom (RFC 4287). An item's `updated` is when it reached the subscriber. */
export function atomFeed(feed: PersonalFeed, context: FeedContext): string {
  return xml.build({
    ...XML_DECLARATION,
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      '@_xml:lang': 'en',
      id: feedId(context),
      title: feedTitle(context),
      subtitle: feedDescription(context),
      updated: feed.updatedAt.toISOString(),
      link: [
        {
          '@_rel': 'self',
          '@_type': 'application/atom+xml',
          '@_href': context.feedUrl('atom'),
        },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': context.homeUrl },
      ],
      // Entries whose paper names no author fall back to this one (RFC 4287 §4.1.1).
      author: { name: context.productName, uri: context.homeUrl },
      generator: { '@_uri': context.homeUrl, '#text': context.productName },
      entry: feed.items.map((item) => entry(item, context)),
    },
  })
}

function entry(item: FeedItem, context: FeedContext) {
  const delivered = item.deliveredAt.toISOString()
  return {
    id: itemId(context, item.paperId),
    title: { '@_type': 'text', '#text': item.title },
    link: item.url
      ? { '@_rel': 'alternate', '@_type': 'text/html', '@_href': item.url }
      : undefined,
    published: delivered,
    updated: delivered,
    author: item.authors.length > 0 ? item.authors.map((name) => ({ name })) : undefined,
    category: item.reasons.map((r) => ({ '@_term': r.label, '@_label': r.label })),
    summary: { '@_type': 'text', '#text': item.excerpt },
    content: { '@_type': 'html', '#text': itemHtml(item) },
  }
}

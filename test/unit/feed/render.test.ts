import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { composeFeed, FEED_FORMATS } from '../../../services/domain/feed.js'
import { type FeedContext, renderFeed } from '../../../services/feed/render.js'

const context: FeedContext = {
  productName: 'Paperboy',
  homeUrl: 'https://paperboy.example/',
  feedUrl: (format) => `https://paperboy.example/feeds/t.s.${format}`,
  authority: 'paperboy.example',
  subscriberId: 7,
}

// Text XML 1.0 cannot carry at all: a control character, a lone surrogate, U+FFFE.
const UNWRITABLE = 'bell\u0007 lone\ud800 nonchar\ufffe'

const feed = composeFeed(
  [
    {
      paper: {
        id: 'hep-th/9901001',
        title: `Strings & <things> ${UNWRITABLE}`,
        abstract: 'x<y',
        authors: ['Ada'],
        url: null,
        publishedAt: null,
      },
      reasons: [{ source: { kind: 'interest', line: 'string* AND "x<y"' }, words: ['strings'] }],
      deliveredAt: new Date('2026-11-28T08:00:00Z'),
    },
  ],
  new Date('2026-01-01T00:00:00Z'),
)

describe('renderFeed', () => {
  it('writes well-formed XML whatever the text holds, and the text as it was', () => {
    for (const format of ['atom', 'rss'] as const) {
      const { body } = renderFeed(format, feed, context)
      expect(XMLValidator.validate(body), format).toBe(true)
      const parsed = new XMLParser({ parseTagValue: false }).parse(body)
      const title = format === 'atom' ? parsed.feed.entry.title : parsed.rss.channel.item.title
      expect(title).toBe('Strings & <things> bell lone nonchar')
    }
  })

  it('gives every item a stable tag: id, the same in each format', () => {
    const ids = FEED_FORMATS.map((format) => {
      const { body } = renderFeed(format, feed, context)
      return body.match(/tag:paperboy\.example,2026:paper\/[^"<]+/)?.[0]
    })
    expect(ids).toEqual(Array(3).fill('tag:paperboy.example,2026:paper/hep-th%2F9901001'))
  })

  it('serves each format as its media type', () => {
    expect(FEED_FORMATS.map((f) => renderFeed(f, feed, context).contentType)).toEqual([
      'application/atom+xml; charset=utf-8',
      'application/rss+xml; charset=utf-8',
      'application/feed+json; charset=utf-8',
    ])
  })
})

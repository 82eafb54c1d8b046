import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { decodeEntities, hrefContaining, postFormAction } from '../helpers/html.js'
import { linksIn, pathOf } from '../helpers/runtime.js'

// Every subscriber can follow what their digests bring in a feed reader, at a signed address
// that "Sign out all links" revokes like every other link.

const ADMIN_TOKEN = 'admin-token-for-personal-feed-1234'
const EMAIL = 'reader@example.org'
const env = deliveryEnvironment('personal_feed', { adminToken: ADMIN_TOKEN, now: () => new Date() })

const app = () => {
  if (!env.runtime.app) throw new Error('runtime has no HTTP app')
  return env.runtime.app
}

// A title as a stranger can get it past ingestion: markup, an ampersand, quotes, and the end
// of a CDATA section, none of which may reach a reader as anything but text.
const HOSTILE_TITLE = `Agents & tools ]]></title><script src='x' "quoted"`

const planning = {
  id: '2611.30001',
  title: 'Planning agents for household tasks',
  abstract: 'We build agents that plan household tasks step by step.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  publishedAt: '2026-11-20T00:00:00Z',
  url: 'https://arxiv.org/abs/2611.30001',
}
const hostile = {
  id: '2611.30002',
  title: HOSTILE_TITLE,
  abstract: "Agents compare x<y & y>z ]]> in 'quotes'.",
  authors: ['Eve & Mallory'],
  url: 'https://example.org/paper?id=2&ref=feed',
}
const grasping = {
  id: '2611.30003',
  title: 'Grasping in clutter',
  abstract: 'A robot learns grasping of household objects in a cluttered kitchen.',
}
const unrelated = {
  id: '2611.30004',
  title: 'Protein folding at scale',
  abstract: 'We fold proteins.',
}
const later = {
  id: '2611.30005',
  title: 'Agents that negotiate',
  abstract: 'Negotiating agents reach agreements.',
}

const REPEATED = new Set([
  'feed.link',
  'feed.entry',
  'feed.entry.link',
  'feed.entry.author',
  'feed.entry.category',
  'rss.channel.item',
  'rss.channel.item.category',
])
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  // Only the elements that repeat: an RSS item's one <link> is text, an Atom entry's are a list.
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
})

type Attributes = Record<string, string>
interface AtomEntry {
  id: string
  title: { '#text': string; '@_type': string }
  link?: Attributes[]
  published: string
  updated: string
  author?: { name: string }[]
  category: Attributes[]
  summary: { '#text': string }
  content: { '#text': string; '@_type': string }
}
interface RssItem {
  title: string
  link?: string
  guid: { '#text': string }
  pubDate: string
  description: string
  category: string[]
  'dc:creator'?: string
}
interface JsonFeedItem {
  id: string
  url?: string
  title: string
  content_html: string
  content_text: string
  date_published: string
  authors?: { name: string }[]
  tags: string[]
  _paperboy: { matched: { kind: string; name: string; words: string[] }[] }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

let feedPage = ''
let preferencesLink = ''
const feedPath = (format: string) => `${feedPage}.${format}`

describe('a personal feed of what the digests brought', () => {
  it('is linked from every digest, in the HTML and the text alike', async () => {
    await subscribeConfirmed(env.runtime, env.smtp, EMAIL, {
      topics: ['robotics'],
      interests: ['agent*'],
    })
    const ingested = await ingestMatched(
      env.runtime,
      ADMIN_TOKEN,
      JSON.stringify({ papers: [planning, hostile, grasping, unrelated] }),
    )
    expect(ingested.new).toBe(4)
    expect(await runDigestsAndWait(env.runtime, () => new Date(), { now: true })).toHaveLength(1)

    const [mail] = digestEmails(env.smtp, EMAIL)
    const fromText = linksIn(mail?.parsed.text).find((l) => l.includes('/feeds/'))
    const fromHtml = hrefContaining(String(mail?.parsed.html), '/feeds/')
    expect(fromText).toMatch(/^http:\/\/paperboy\.test\/feeds\/[\w-]+\.[\w-]+$/)
    expect(fromHtml).toBe(fromText)
    expect(mail?.parsed.text).toContain(`Follow in your feed reader:\n${fromText}\n`)
    expect(decodeEntities(String(mail?.parsed.html))).toContain('>Follow in your feed reader</a>')
    feedPage = pathOf(fromText ?? '')
    preferencesLink = pathOf(
      linksIn(mail?.parsed.text).find((l) => l.includes('/preferences?token=')) ?? '',
    )

    const page = await app().inject({ url: feedPage, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toContain('no-store')
    for (const format of ['atom', 'rss', 'json']) {
      expect(hrefContaining(page.body, `.${format}`)).toBe(
        `http://paperboy.test${feedPath(format)}`,
      )
    }
  })

  it('is offered in the preference centre in all three formats, and named in its head', async () => {
    const page = await app().inject({ url: preferencesLink, headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Follow in your feed reader')
    const alternates = [
      ...page.body.matchAll(/<link rel="alternate" type="([^"]+)" title="[^"]*" href="([^"]+)">/g),
    ].map((m) => [m[1], decodeEntities(m[2] ?? '')])
    expect(alternates).toEqual([
      ['application/atom+xml', `http://paperboy.test${feedPath('atom')}`],
      ['application/rss+xml', `http://paperboy.test${feedPath('rss')}`],
      ['application/feed+json', `http://paperboy.test${feedPath('json')}`],
    ])
  })

  it('serves Atom: the matched papers with their links, authors, dates and why, all escaped', async () => {
    const response = await app().inject({ url: feedPath('atom') })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    expect(XMLValidator.validate(response.body)).toBe(true)
    // The stranger's markup is text: escaped, never an element or the end of one.
    expect(response.body).not.toContain('<script')
    expect(response.body).not.toContain(']]>')

    const { feed } = xml.parse(response.body) as {
      feed: { id: string; updated: string; link: Attributes[]; entry: AtomEntry[] }
    }
    expect(feed.link.find((l) => l['@_rel'] === 'self')?.['@_href']).toBe(
      `http://paperboy.test${feedPath('atom')}`,
    )
    // Papers of one digest arrive together; the unrelated paper matched nothing.
    expect(feed.entry.map((e) => e.title['#text'])).toEqual([
      planning.title,
      HOSTILE_TITLE,
      grasping.title,
    ])
    const [first, second, third] = feed.entry as [AtomEntry, AtomEntry, AtomEntry]
    expect(first.link?.[0]?.['@_href']).toBe(planning.url)
    expect(first.author?.map((a) => a.name)).toEqual(planning.authors)
    expect(first.category.map((c) => c['@_term'])).toEqual(['agent*'])
    expect(first.published).toMatch(RFC3339)
    expect(first.updated).toBe(feed.updated)
    expect(first.content['@_type']).toBe('html')
    expect(first.content['#text']).toContain('<p>Matched: agent* (agents)</p>')
    expect(first.content['#text']).toContain('<p>Published 20 November 2026</p>')
    expect(first.content['#text']).toContain(`<a href="${planning.url}">Read the paper</a>`)
    // The HTML a reader renders holds the stranger's text escaped once more.
    expect(second.link?.[0]?.['@_href']).toBe(hostile.url)
    expect(second.author?.map((a) => a.name)).toEqual(['Eve & Mallory'])
    expect(second.summary['#text']).toBe(hostile.abstract)
    expect(second.content['#text']).toContain(
      '<p>Agents compare x&lt;y &amp; y&gt;z ]]&gt; in &apos;quotes&apos;.</p>',
    )
    expect(second.content['#text']).toContain(
      '<a href="https://example.org/paper?id=2&amp;ref=feed">',
    )
    // A topic is named as the subscriber knows it, with the words it matched.
    expect(third.category.map((c) => c['@_term'])).toEqual(['Robotics'])
    expect(third.content['#text']).toMatch(/<p>Matched: Robotics \([^)]*grasping[^)]*\)<\/p>/)
    expect(third.link?.[0]?.['@_href']).toBe('https://arxiv.org/abs/2611.30003')
  })

  it('serves RSS 2.0 with the same items', async () => {
    const response = await app().inject({ url: feedPath('rss') })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/rss+xml; charset=utf-8')
    expect(XMLValidator.validate(response.body)).toBe(true)
    expect(response.body).not.toContain('<script')

    const { rss } = xml.parse(response.body) as {
      rss: { '@_version': string; channel: { title: string; item: RssItem[] } }
    }
    expect(rss['@_version']).toBe('2.0')
    const items = rss.channel.item
    expect(items.map((i) => i.title)).toEqual([planning.title, HOSTILE_TITLE, grasping.title])
    expect(items.map((i) => i.link)).toEqual([
      planning.url,
      hostile.url,
      'https://arxiv.org/abs/2611.30003',
    ])
    expect(items.map((i) => i.category)).toEqual([['agent*'], ['agent*'], ['Robotics']])
    expect(items[0]?.['dc:creator']).toBe('Ada Lovelace, Alan Turing')
    expect(Number.isNaN(Date.parse(items[0]?.pubDate ?? ''))).toBe(false)
    expect(items[0]?.description).toContain('<p>Matched: agent* (agents)</p>')
    expect(items[1]?.description).toContain('x&lt;y &amp; y&gt;z')
    // Each paper keeps one id, whatever the format.
    expect(new Set(items.map((i) => i.guid['#text'])).size).toBe(3)
  })

  it('serves JSON Feed 1.1 with the same items, and why each is there', async () => {
    const response = await app().inject({ url: feedPath('json') })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/feed+json; charset=utf-8')
    const feed = response.json() as {
      version: string
      title: string
      home_page_url: string
      feed_url: string
      items: JsonFeedItem[]
    }
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.title).toEqual(expect.any(String))
    expect(feed.home_page_url).toBe('http://paperboy.test/')
    expect(feed.feed_url).toBe(`http://paperboy.test${feedPath('json')}`)
    for (const item of feed.items) {
      expect(item.id).toEqual(expect.any(String))
      expect(item.title).toEqual(expect.any(String))
      expect(item.content_text).toEqual(expect.any(String))
      expect(item.content_html).toEqual(expect.any(String))
      expect(item.date_published).toMatch(RFC3339)
    }
    expect(feed.items.map((i) => i.title)).toEqual([planning.title, HOSTILE_TITLE, grasping.title])
    expect(feed.items.map((i) => i.url)).toEqual([
      planning.url,
      hostile.url,
      'https://arxiv.org/abs/2611.30003',
    ])
    expect(feed.items.map((i) => i._paperboy.matched)).toEqual([
      [{ kind: 'interest', name: 'agent*', words: ['agents'] }],
      [{ kind: 'interest', name: 'agent*', words: ['agents'] }],
      [{ kind: 'topic', name: 'Robotics', words: expect.arrayContaining(['grasping']) }],
    ])
    expect(feed.items[0]?.content_text).toContain('Matched: agent* (agents)')
    expect(feed.items[1]?.content_html).toContain('x&lt;y &amp; y&gt;z')
    expect(feed.items[1]?.content_html).not.toContain('<script')
  })

  it('answers a poll with 304 while nothing changed, and with the new paper first once it did', async () => {
    const first = await app().inject({ url: feedPath('atom') })
    const etag = String(first.headers.etag)
    const lastModified = String(first.headers['last-modified'])
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(first.headers['cache-control']).toBe('private, no-cache')

    const unchanged = await app().inject({
      url: feedPath('atom'),
      headers: { 'if-none-match': etag },
    })
    expect(unchanged.statusCode).toBe(304)
    expect(unchanged.body).toBe('')
    expect(unchanged.headers.etag).toBe(etag)
    const notModified = await app().inject({
      url: feedPath('atom'),
      headers: { 'if-modified-since': lastModified },
    })
    expect(notModified.statusCode).toBe(304)
    // A format is its own document, with its own tag.
    const json = await app().inject({ url: feedPath('json'), headers: { 'if-none-match': etag } })
    expect(json.statusCode).toBe(200)

    await ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify({ papers: [later] }))
    expect(await runDigestsAndWait(env.runtime, () => new Date(), { now: true })).toHaveLength(1)
    const changed = await app().inject({
      url: feedPath('atom'),
      headers: { 'if-none-match': etag },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.headers.etag).not.toBe(etag)
    const { feed } = xml.parse(changed.body) as { feed: { entry: AtomEntry[] } }
    expect(feed.entry.map((e) => e.title['#text'])).toEqual([
      later.title,
      planning.title,
      HOSTILE_TITLE,
      grasping.title,
    ])
  })

  it('refuses an address that was never a feed link, or a format it does not serve', async () => {
    const preferencesToken = new URL(`http://x${preferencesLink}`).searchParams.get('token')
    for (const url of ['/feeds/not-a-token.atom', `/feeds/${preferencesToken}.atom`]) {
      const response = await app().inject({ url })
      expect(response.statusCode, url).toBe(404)
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(response.body).toBe('No such feed.\n')
    }
    const xmlFormat = await app().inject({ url: feedPath('xml') })
    expect(xmlFormat.statusCode).toBe(404)
    expect(xmlFormat.body).toContain('.atom, .rss or .json')
  })

  it('stops working, in every format, once the subscriber signs out all links', async () => {
    const before = await app().inject({ url: feedPath('rss') })
    const etag = String(before.headers.etag)
    const page = await app().inject({ url: preferencesLink, headers: { accept: 'text/html' } })
    const signOut = postFormAction(page.body, '/preferences/sign-out')
    const signedOut = await app().inject({
      method: 'POST',
      url: signOut ?? '',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    })
    expect(signedOut.statusCode).toBe(200)

    for (const format of ['atom', 'rss', 'json']) {
      const response = await app().inject({
        url: feedPath(format),
        headers: { 'if-none-match': etag },
      })
      expect(response.statusCode, format).toBe(410)
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
      expect(response.body).toMatch(/^This feed link no longer works .*\n$/)
      expect(response.body).not.toContain(planning.title)
    }
    const gone = await app().inject({ url: feedPage, headers: { accept: 'text/html' } })
    expect(gone.statusCode).toBe(410)
    expect(gone.body).toContain('This link is no longer valid')
  })
})

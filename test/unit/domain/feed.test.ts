import { describe, expect, it } from 'vitest'
import type { DigestReason } from '../../../services/domain/digest.js'
import {
  composeFeed,
  type DeliveredMatch,
  FEED_AUTHORS_SHOWN,
  FEED_EXCERPT_MAX,
  FEED_ITEM_LIMIT,
} from '../../../services/domain/feed.js'

const since = new Date('2026-01-01T00:00:00Z')
const interest = (line: string, words: string[]): DigestReason => ({
  source: { kind: 'interest', line },
  words,
})
const topic = (slug: string, name: string, words: string[]): DigestReason => ({
  source: { kind: 'topic', slug, name },
  words,
})

function match(id: string, deliveredAt: string, extra: Partial<DeliveredMatch> = {}) {
  return {
    paper: {
      id,
      title: `Paper ${id}`,
      abstract: 'Agents plan.',
      authors: [],
      url: null,
      publishedAt: null,
    },
    reasons: [interest('agent*', ['agents'])],
    deliveredAt: new Date(deliveredAt),
    ...extra,
  } satisfies DeliveredMatch
}

describe('composeFeed', () => {
  it('lists the newest deliveries first, at most FEED_ITEM_LIMIT, and dates the feed by the newest', () => {
    const matches = Array.from({ length: FEED_ITEM_LIMIT + 5 }, (_, i) =>
      match(`2611.${String(10000 + i)}`, new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString()),
    )
    const feed = composeFeed(matches, since)
    expect(feed.items).toHaveLength(FEED_ITEM_LIMIT)
    expect(feed.items[0]?.paperId).toBe('2611.10104')
    expect(feed.updatedAt).toEqual(matches.at(-1)?.deliveredAt)
  })

  it('keeps papers of one digest in id order, and dates an empty feed by `since`', () => {
    const at = '2026-11-28T08:00:00Z'
    expect(
      composeFeed([match('b', at), match('a', at)], since).items.map((i) => i.paperId),
    ).toEqual(['a', 'b'])
    expect(composeFeed([], since)).toEqual({ items: [], updatedAt: since })
  })

  it('says why: each interest or topic once, own lines first, words merged', () => {
    const [item] = composeFeed(
      [
        match('2611.00001', '2026-11-28T08:00:00Z', {
          reasons: [
            topic('robotics', 'Robotics', ['robot', 'grasping']),
            interest('agent*', ['agents']),
            interest('agent*', ['Agents', 'agentic']),
            topic('trending', 'Trending', []),
          ],
        }),
      ],
      since,
    ).items
    expect(item?.reasons).toEqual([
      { kind: 'interest', label: 'agent*', words: ['Agents', 'agentic'] },
      { kind: 'topic', label: 'Robotics', words: ['robot', 'grasping'] },
      { kind: 'topic', label: 'Trending', words: [] },
    ])
    expect(item?.why).toBe('agent* (Agents, agentic) · Robotics (robot, grasping) · Trending')
  })

  it('gives an http(s) link, or the arXiv page of an arXiv id, or none', () => {
    const link = (id: string, url: string | null) =>
      composeFeed(
        [{ ...match(id, '2026-11-28T08:00:00Z'), paper: { ...match(id, '').paper, url } }],
        since,
      ).items[0]?.url
    expect(link('2611.00001', 'https://example.org/p')).toBe('https://example.org/p')
    expect(link('2611.00001', 'javascript:alert(1)')).toBe('https://arxiv.org/abs/2611.00001')
    expect(link('not-arxiv', 'javascript:alert(1)')).toBeNull()
  })

  it('cuts long abstracts at a word with an ellipsis, and names the first authors', () => {
    const authors = Array.from({ length: FEED_AUTHORS_SHOWN + 3 }, (_, i) => `Author ${i}`)
    const base = match('2611.00001', '2026-11-28T08:00:00Z')
    const [item] = composeFeed(
      [{ ...base, paper: { ...base.paper, abstract: 'word '.repeat(400), authors } }],
      since,
    ).items
    expect(item?.excerpt.length).toBeLessThanOrEqual(FEED_EXCERPT_MAX + 1)
    expect(item?.excerpt).toMatch(/word…$/)
    expect(item?.authors).toEqual(authors.slice(0, FEED_AUTHORS_SHOWN))
    expect(item?.moreAuthors).toBe(3)
  })
})

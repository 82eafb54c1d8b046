import { describe, expect, it } from 'vitest'
import {
  composeDigest,
  composeDigestPage,
  DIGEST_PAGE_SIZE,
  type DigestItem,
  type DigestPaper,
} from '../../../services/domain/digest.js'

function paper(id: string, upvotes: number): DigestPaper {
  return {
    id,
    title: `Paper ${id}`,
    abstract: 'About agents and diffusion.',
    authors: [],
    url: null,
    upvotes,
    publishedAt: null,
    firstSeenAt: new Date('2026-11-27T06:00:00Z'),
  }
}

// Interleaved by upvotes, so ranking alone would alternate the two groups: pages follow the
// groups, as the single-page view does.
const items: DigestItem[] = Array.from({ length: 25 }, (_, i) => ({
  paper: paper(`p${i}`, 100 - i),
  reasons: [{ source: { kind: 'interest', line: i % 2 ? 'agent*' : 'diffusion' }, words: [] }],
}))

const ids = (page: ReturnType<typeof composeDigestPage>) =>
  page.digest.groups.flatMap((g) => g.papers.map((p) => p.id))

describe('composeDigestPage', () => {
  const whole = composeDigest({ items, trending: [], limit: Number.POSITIVE_INFINITY })
  const wholeIds = whole.groups.flatMap((g) => g.papers.map((p) => p.id))

  it('cuts the single-page view into pages of `size`, in the same order, each paper once', () => {
    const pages = [1, 2, 3].map((n) => composeDigestPage({ items, trending: [] }, n, 10))
    expect(pages.map((p) => ids(p).length)).toEqual([10, 10, 5])
    expect(pages.flatMap(ids)).toEqual(wholeIds)
    for (const page of pages) {
      expect(page.pageCount).toBe(3)
      expect(page.digest.total).toBe(25)
      expect(page.digest.subject).toBe(whole.subject)
    }
  })

  it('keeps each paper its rank in the whole digest', () => {
    const second = composeDigestPage({ items, trending: [] }, 2, 10)
    const ranks = new Map(whole.groups.flatMap((g) => g.papers.map((p) => [p.id, p.rank])))
    for (const p of second.digest.groups.flatMap((g) => g.papers))
      expect(p.rank).toBe(ranks.get(p.id))
  })

  it("says when a page's first group began on the page before", () => {
    // 13 diffusion papers then 12 agent papers.
    expect(composeDigestPage({ items, trending: [] }, 1, 10).continuesGroup).toBe(false)
    expect(composeDigestPage({ items, trending: [] }, 2, 10).continuesGroup).toBe(true)
    expect(composeDigestPage({ items, trending: [] }, 2, 13).continuesGroup).toBe(false)
    expect(composeDigestPage({ items, trending: [] }, 2, 13).digest.groups[0]?.title).toBe('agent*')
  })

  it(`holds ${DIGEST_PAGE_SIZE} papers a page by default; past the last page it is empty`, () => {
    expect(composeDigestPage({ items, trending: [] }, 1).pageCount).toBe(1)
    const past = composeDigestPage({ items, trending: [] }, 2)
    expect(past.digest.groups).toEqual([])
    expect(past.pageCount).toBe(1)
    expect(composeDigestPage({ items: [], trending: [] }, 1).pageCount).toBe(1)
  })

  it('refuses a page or size that is not a whole number from 1', () => {
    expect(() => composeDigestPage({ items, trending: [] }, 0)).toThrow(RangeError)
    expect(() => composeDigestPage({ items, trending: [] }, 1.5)).toThrow(RangeError)
    expect(() => composeDigestPage({ items, trending: [] }, 1, 0)).toThrow(RangeError)
  })
})

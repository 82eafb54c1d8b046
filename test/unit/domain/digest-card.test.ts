import { describe, expect, it } from 'vitest'
import { composeDigest, type DigestPaper } from '../../../services/domain/digest.js'

const base: DigestPaper = {
  id: '2606.00467',
  title: 'Models that model models',
  abstract: 'Modelling, modeled, modeler, models, modelled, modelers.',
  authors: ['Ada Lovelace', 'Alan Turing'],
  url: null,
  upvotes: null,
  publishedAt: new Date('2026-06-10T23:30:00Z'),
  firstSeenAt: new Date('2026-06-12T06:00:00Z'),
  categories: ['cs.LG', 'stat.ML'],
  organization: `  Institute\nof ${'Very '.repeat(20)}Long Names  `,
  thumbnailUrl: 'http://cdn.example/t.png',
}

const paperOf = (paper: DigestPaper, lines: { line: string; words: string[] }[]) => {
  const digest = composeDigest({
    items: [
      {
        paper,
        reasons: lines.map(({ line, words }) => ({ source: { kind: 'interest', line }, words })),
      },
    ],
    trending: [],
  })
  const rendered = digest.groups[0]?.papers[0]
  if (!rendered) throw new Error('the paper is not in the digest')
  return rendered
}

describe('digest card', () => {
  it('gives the chips: organisation on one line and clipped, arXiv id, primary category, UTC date', () => {
    const { card } = paperOf(base, [{ line: 'model*', words: ['models'] }])
    expect(card.organization).toMatch(/^Institute of Very Very .*…$/)
    expect(card.organization?.length).toBe(60)
    expect(card).toMatchObject({
      arxivId: '2606.00467',
      category: 'cs.LG',
      published: '10 Jun 2026',
    })
    // Only https thumbnails are shown, whatever was stored.
    expect(card.thumbnailUrl).toBeNull()
    const other = paperOf({ ...base, id: 'paper-7', categories: [], organization: null }, [
      { line: 'model*', words: ['models'] },
    ])
    expect(other.card).toMatchObject({ arxivId: null, category: null, organization: null })
  })

  it("names author and category words as the paper spells them, and caps a line's words at five", () => {
    const paper = paperOf(base, [
      { line: 'author:lovelace', words: ['ada lovelace'] },
      { line: 'category:cs.lg', words: ['cs.lg'] },
      {
        line: 'model*',
        words: [
          'Models',
          'model',
          'models',
          'Modelling',
          'modeled',
          'modeler',
          'modelled',
          'modelers',
        ],
      },
      { line: 'turing', words: ['Turing'] },
    ])
    expect(paper.whyReasons).toEqual([
      {
        label: 'model*',
        words: ['Models', 'model', 'Modelling', 'modeled', 'modeler'].map((text) => ({
          text,
          where: 'text',
        })),
        moreWords: 2,
      },
      {
        label: 'author:lovelace',
        words: [{ text: 'Ada Lovelace', where: 'author' }],
        moreWords: 0,
      },
      { label: 'category:cs.lg', words: [{ text: 'cs.LG', where: 'category' }], moreWords: 0 },
      // A word that is the line itself adds nothing.
      { label: 'turing', words: [], moreWords: 0 },
    ])
  })
})

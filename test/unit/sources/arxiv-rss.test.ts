import { describe, expect, it } from 'vitest'
import { parseArxivRss, splitCreators } from '../../../services/sources/arxiv-rss.js'
import { readFixture } from '../../helpers/fixtures.js'

const PUB_DATE = new Date('2026-04-27T04:00:00.000Z') // Mon, 27 Apr 2026 00:00:00 -0400

describe.each([
  ['arxiv-rss-cs.AI.xml', ['2604.21935', '2604.21936', '2604.21937']],
  ['arxiv-rss-cs.LG.xml', ['2604.21952', '2604.21953', '2604.21956']],
  ['arxiv-rss-cs.CL.xml', ['2604.22002', '2604.22027', '2604.22038']],
])('parseArxivRss on %s', (file, ids) => {
  const outcome = parseArxivRss(readFixture(file))

  it('parses 3 new items and rejects none', () => {
    expect(outcome.format).toBe('arxiv-rss')
    expect(outcome.papers.map((p) => p.id)).toEqual(ids)
    expect(outcome.rejected).toEqual([])
    for (const paper of outcome.papers) {
      expect(paper).toMatchObject({
        announceType: 'new',
        version: 1,
        publishedAt: PUB_DATE,
        updatedAt: null,
      })
      expect(paper.abstract).not.toMatch(/^arXiv:|Announce Type|^Abstract:/)
      expect(paper.url).toBe(`https://arxiv.org/abs/${paper.id}`)
    }
  })
})

describe('parseArxivRss fields', () => {
  const ai = parseArxivRss(readFixture('arxiv-rss-cs.AI.xml')).papers
  const lg = parseArxivRss(readFixture('arxiv-rss-cs.LG.xml')).papers
  const cl = parseArxivRss(readFixture('arxiv-rss-cs.CL.xml')).papers

  it('reads 2604.21935 (Math Takes Two)', () => {
    expect(ai[0]).toMatchObject({
      id: '2604.21935',
      title: 'Math Takes Two: A test for emergent mathematical reasoning in communication',
      authors: ['Michael Cooper', 'Samuel Cooper'],
      categories: ['cs.AI', 'cs.LG'],
      source: 'arxiv-rss',
      upvotes: null,
    })
    expect(
      ai[0]?.abstract.startsWith('Although language models demonstrate remarkable proficiency'),
    ).toBe(true)
    expect(ai[0]?.abstract.endsWith('emergent numerical reasoning capabilities.')).toBe(true)
  })

  it('keeps LaTeX markup in 2604.21936 as text and reads its 18 authors', () => {
    expect(ai[1]?.abstract).toContain('\\textbf{adaptability}, the ability to configure workflows')
    expect(ai[1]?.authors).toHaveLength(18)
    expect(ai[1]?.authors.at(-1)).toBe('Bennett A. Landman')
    expect(ai[1]?.categories).toEqual(['cs.AI', 'cs.CV', 'cs.MA'])
  })

  it('reads 2604.21952 with five categories', () => {
    expect(lg[0]?.title).toBe(
      'Focus Session: Hardware and Software Techniques for Accelerating Multimodal Foundation Models',
    )
    expect(lg[0]?.categories).toEqual(['cs.LG', 'cs.AI', 'cs.AR', 'cs.NE', 'cs.RO'])
    expect(lg[2]?.authors).toEqual([
      'Michal Valko',
      'Hamed Valizadegan',
      'Branislav Kveton',
      'Gregory F. Cooper',
      'Milos Hauskrecht',
    ])
  })

  it('reads a single-name author from a doubled space (2604.22002)', () => {
    expect(cl[0]?.authors).toEqual([
      'Anamta Khan',
      'Ratna Kandala',
      'Deepti',
      'Sheza Munir',
      'Joyojeet Pal',
    ])
  })
})

describe('parseArxivRss announce types', () => {
  // A live feed also has cross, replace and replace-cross items; the fixtures were trimmed to
  // three `new` ones, so the other types are made from them by changing only the type.
  const retype = (xml: string, types: string[]) => {
    let i = 0
    return xml.replace(
      /Announce Type: new([\s\S]*?)<arxiv:announce_type>new</g,
      (_, middle: string) => {
        const type = types[i++] ?? 'new'
        return `Announce Type: ${type}${middle}<arxiv:announce_type>${type}<`
      },
    )
  }
  const outcome = parseArxivRss(
    retype(readFixture('arxiv-rss-cs.AI.xml'), ['cross', 'replace', 'replace-cross']),
  )

  it('marks cross-lists and replacements', () => {
    expect(outcome.papers.map((p) => p.announceType)).toEqual(['cross', 'replace', 'replace-cross'])
  })

  it('dates a replacement as an update, not a publication', () => {
    expect(outcome.papers[0]).toMatchObject({ publishedAt: PUB_DATE, updatedAt: null })
    expect(outcome.papers[1]).toMatchObject({ publishedAt: null, updatedAt: PUB_DATE })
    expect(outcome.papers[2]).toMatchObject({ publishedAt: null, updatedAt: PUB_DATE })
  })

  it('rejects an item with an unknown announce type and keeps the rest', () => {
    const odd = parseArxivRss(retype(readFixture('arxiv-rss-cs.AI.xml'), ['new', 'withdrawn']))
    expect(odd.papers.map((p) => p.id)).toEqual(['2604.21935', '2604.21937'])
    expect(odd.rejected).toEqual([
      { index: 1, id: '2604.21936', reason: 'unknown announce_type "withdrawn"' },
    ])
  })

  it('falls back to the description header when the element is missing', () => {
    const xml = readFixture('arxiv-rss-cs.AI.xml')
      .replace(/<arxiv:announce_type>new<\/arxiv:announce_type>/g, '')
      .replace('arXiv:2604.21935v1 Announce Type: new', 'arXiv:2604.21935v3 Announce Type: replace')
    const papers = parseArxivRss(xml).papers
    expect(papers[0]?.announceType).toBe('replace')
    expect(papers[1]?.announceType).toBe('new')
  })
})

describe('splitCreators', () => {
  it('keeps name suffixes with their owner', () => {
    expect(splitCreators('Martin Luther King, Jr., Ada Lovelace, John Smith III')).toEqual([
      'Martin Luther King, Jr.',
      'Ada Lovelace',
      'John Smith III',
    ])
  })

  it('decodes entities in names', () => {
    expect(splitCreators('J&#252;rgen M&uuml;ller, Ana')).toEqual(['Jürgen Müller', 'Ana'])
  })
})

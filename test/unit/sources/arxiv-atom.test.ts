import { describe, expect, it } from 'vitest'
import { parseArxivAtom } from '../../../services/sources/arxiv-atom.js'
import { UnreadableInputError } from '../../../services/sources/types.js'
import { readFixture } from '../../helpers/fixtures.js'

describe('parseArxivAtom on the current (2026) API fixture', () => {
  const outcome = parseArxivAtom(readFixture('arxiv-api-query.atom.xml'))
  const byId = new Map(outcome.papers.map((p) => [p.id, p]))

  it('parses 5 entries, rejects none, and reads the OpenSearch counters', () => {
    expect(outcome.format).toBe('arxiv')
    expect(outcome.papers.map((p) => p.id)).toEqual([
      '2606.13677',
      '2606.13591',
      '2606.13568',
      '2606.13515',
      '2606.13501',
    ])
    expect(outcome.rejected).toEqual([])
    expect(outcome.totalResults).toBe(28946)
    expect(outcome.startIndex).toBe(0)
  })

  it('reads 2606.13677 (Mana)', () => {
    expect(byId.get('2606.13677')).toMatchObject({
      title: 'Mana: Dexterous Manipulation of Articulated Tools',
      authors: ['Zhao-Heng Yin', 'Guanya Shi', 'Pieter Abbeel', 'C. Karen Liu'],
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG'],
      publishedAt: new Date('2026-06-11T17:59:49Z'),
      updatedAt: new Date('2026-06-11T17:59:49Z'),
      url: 'https://arxiv.org/abs/2606.13677',
      version: 1,
      upvotes: null,
      organization: null,
      aiKeywords: [],
      aiSummary: null,
      source: 'arxiv',
    })
    // The XML says &lt;1 minute: decoded exactly once.
    expect(byId.get('2606.13677')?.abstract).toContain('(<1 minute per tool)')
  })

  it('puts the primary category first and keeps LaTeX as text', () => {
    const paper = byId.get('2606.13501')
    expect(paper?.title).toBe('GF-DiT: Scheduling Parallelism for Diffusion Transformer Serving')
    expect(paper?.categories).toEqual(['cs.DC', 'cs.LG', 'cs.PF'])
    expect(paper?.authors).toHaveLength(9)
    expect(paper?.abstract).toContain('degraded service quality. This paper argues')
    expect(paper?.abstract).toContain('up to 6.01$\\times$')
    expect(paper?.abstract).toContain('approximately 60 $μ$s.')
    expect(byId.get('2606.13568')?.categories).toEqual(['cs.LG', 'math-ph'])
    expect(byId.get('2606.13568')?.authors).toEqual(['Snigdha Chandan Khilar'])
  })
})

describe('parseArxivAtom on the legacy (2016) API fixture', () => {
  const outcome = parseArxivAtom(readFixture('arxiv-api-query-legacy-2016.atom.xml'))
  const byId = new Map(outcome.papers.map((p) => [p.id, p]))

  it('parses 10 entries, old-style ids included', () => {
    expect(outcome.papers.map((p) => p.id)).toEqual([
      '1201.4869',
      'cond-mat/0412498',
      'cond-mat/0603029',
      '1005.5383',
      '1303.6954',
      '1312.6177',
      '1412.6529',
      'cond-mat/0607501',
      'cond-mat/0702661',
      '0807.2873',
    ])
    expect(outcome.rejected).toEqual([])
    expect(outcome.totalResults).toBe(31)
  })

  it('reads 1201.4869 with its hard-wrapped abstract joined', () => {
    const paper = byId.get('1201.4869')
    expect(paper).toMatchObject({
      title: 'A Luttinger Liquid Core Inside Helium-4 Filled Nanopores',
      authors: ['Adrian Del Maestro'],
      categories: ['cond-mat.mes-hall', 'cond-mat.other'],
      publishedAt: new Date('2012-01-23T21:15:02Z'),
      version: 1,
      url: 'https://arxiv.org/abs/1201.4869',
    })
    expect(
      paper?.abstract.startsWith(
        'As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally new state',
      ),
    ).toBe(true)
    expect(paper?.abstract.endsWith('intriguing low dimensional state of matter.')).toBe(true)
    expect(paper?.abstract).not.toMatch(/\n| {2}/)
  })

  it('reads cond-mat/0412498 with its decoded entities', () => {
    const paper = byId.get('cond-mat/0412498')
    expect(paper?.title).toBe('Thermal melting of density waves on the square lattice')
    expect(paper?.authors).toEqual(['Adrian Del Maestro', 'Subir Sachdev'])
    expect(paper?.categories).toEqual(['cond-mat.str-el', 'cond-mat.stat-mech'])
    expect(paper?.abstract).toContain(
      '"p x p" density wave ordering on the square lattice (p >= 3, integer)',
    )
    expect(paper?.url).toBe('https://arxiv.org/abs/cond-mat/0412498')
  })

  it('reads versions and both dates of revised papers', () => {
    expect(byId.get('1303.6954')).toMatchObject({
      title: 'Local Superfluidity at the Nanoscale',
      authors: ['B. Kulchytskyy', 'G. Gervais', 'A. Del Maestro'],
      version: 2,
      publishedAt: new Date('2013-03-27T20:00:04Z'),
      updatedAt: new Date('2013-09-03T01:06:36Z'),
    })
  })

  it('joins a title wrapped over two lines', () => {
    expect(byId.get('cond-mat/0603029')?.title).toBe(
      'From stripe to checkerboard order on the square lattice in the presence of quenched disorder',
    )
  })
})

describe('parseArxivAtom edge cases', () => {
  const feed = (entries: string) =>
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>0</opensearch:totalResults>${entries}</feed>`

  it('treats an empty result page as zero papers', () => {
    expect(parseArxivAtom(feed(''))).toMatchObject({ papers: [], rejected: [], totalResults: 0 })
  })

  it('turns an arXiv API error entry into an unreadable body', () => {
    const error = feed(
      '<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id><title>Error</title><summary>incorrect id format for 1234.12345v</summary></entry>',
    )
    expect(() => parseArxivAtom(error)).toThrow(UnreadableInputError)
    expect(() => parseArxivAtom(error)).toThrow(
      'arXiv API error: incorrect id format for 1234.12345v',
    )
  })

  it('keeps only arXiv category codes (not ACM or MSC classes)', () => {
    const outcome = parseArxivAtom(
      feed(
        '<entry><id>http://arxiv.org/abs/2601.00001v1</id><title>T</title><summary>S</summary><category term="cs.LG"/><category term="I.2.6; I.2.7"/><category term="68T05"/></entry>',
      ),
    )
    expect(outcome.papers[0]?.categories).toEqual(['cs.LG'])
  })

  it('rejects an RSS body', () => {
    expect(() => parseArxivAtom(readFixture('arxiv-rss-cs.AI.xml'))).toThrow(
      'expected <feed> (arXiv API Atom feed), found <rss>',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { parseHfDaily } from '../../../services/sources/hf-daily.js'
import { readFixture, readFixtureBytes } from '../../helpers/fixtures.js'

const FIXTURE = 'hf-daily-papers-2026-06-12.json'

describe('parseHfDaily on the 2026-06-12 fixture', () => {
  const outcome = parseHfDaily(readFixtureBytes(FIXTURE))
  const byId = new Map(outcome.papers.map((p) => [p.id, p]))

  it('parses all 30 entries and rejects none', () => {
    expect(outcome.format).toBe('hf-daily')
    expect(outcome.papers).toHaveLength(30)
    expect(outcome.rejected).toEqual([])
  })

  it('keeps the order and the arXiv ids', () => {
    expect(outcome.papers.slice(0, 3).map((p) => p.id)).toEqual([
      '2606.00467',
      '2606.12730',
      '2606.13594',
    ])
    expect(outcome.papers.at(-1)?.id).toBe('2606.13106')
    expect(outcome.papers.reduce((sum, p) => sum + (p.upvotes ?? 0), 0)).toBe(453)
  })

  it('reads 2606.13392 (MiniMax Sparse Attention)', () => {
    const paper = byId.get('2606.13392')
    expect(paper).toMatchObject({
      title: 'MiniMax Sparse Attention',
      upvotes: 103,
      organization: 'MiniMax',
      publishedAt: new Date('2026-06-11T00:00:00.000Z'),
      updatedAt: null,
      url: 'https://arxiv.org/abs/2606.13392',
      version: null,
      categories: [],
      source: 'hf-daily',
    })
    expect(paper?.authors).toHaveLength(11)
    expect(paper?.authors.slice(0, 2)).toEqual(['Xunhao Lai', 'Weiqi Xu'])
    expect(paper?.aiKeywords).toEqual([
      'sparse attention',
      'Grouped Query Attention',
      'Top-k selection',
      'blockwise sparse attention',
      'tensor-core utilization',
      'prefill',
      'decoding',
      'attention compute',
      'context length',
    ])
    expect(
      paper?.abstract.startsWith('Ultra-long-context capability is becoming indispensable'),
    ).toBe(true)
    expect(
      paper?.aiSummary?.startsWith('MiniMax Sparse Attention enables efficient processing'),
    ).toBe(true)
    expect(paper?.announceType).toBeUndefined()
  })

  it('reads 2606.00467 with its organization full name and 14 AI keywords', () => {
    const paper = byId.get('2606.00467')
    expect(paper?.title).toBe(
      'On the Limits of LLM Adaptability: Impact of Model-Internalized Priors on Annotation Task Performance',
    )
    expect(paper?.authors).toEqual(['Etienne Casanova', 'Rafal Kocielnik', 'R. Michael Alvarez'])
    expect(paper?.organization).toBe('California institute of technology')
    expect(paper?.upvotes).toBe(0)
    expect(paper?.aiKeywords).toHaveLength(14)
    expect(paper?.aiKeywords[0]).toBe('zero-shot annotation')
  })

  it('gives null organization where HF shows none', () => {
    expect(byId.get('2606.12730')?.organization).toBeNull()
    expect(outcome.papers.filter((p) => p.organization !== null)).toHaveLength(16)
  })

  it("keeps every item's https thumbnail, and drops one that is not https", () => {
    expect(byId.get('2606.00467')?.thumbnailUrl).toBe(
      'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.00467.png',
    )
    expect(outcome.papers.filter((p) => p.thumbnailUrl?.startsWith('https://'))).toHaveLength(30)
    const items = JSON.parse(readFixture(FIXTURE)) as { thumbnail?: string }[]
    const bad = ['http://cdn.example/t.png', 'javascript:alert(1)', 'data:image/png;base64,AA', '']
    bad.forEach((thumbnail, i) => {
      const item = items[i] as { thumbnail?: string }
      item.thumbnail = thumbnail
    })
    const parsed = parseHfDaily(JSON.stringify(items.slice(0, bad.length)))
    expect(parsed.rejected).toEqual([])
    expect(parsed.papers.map((p) => p.thumbnailUrl)).toEqual([null, null, null, null])
  })

  it('keeps authors HF marks hidden', () => {
    expect(byId.get('2606.12575')?.authors).toContain('Dengyang Jiang')
  })

  it('joins hard-wrapped abstract lines', () => {
    const abstract = byId.get('2606.09446')?.abstract ?? ''
    expect(abstract).toContain('on each of the 160 pages. Data and code are publicly available')
    expect(abstract).not.toMatch(/\n/)
  })

  it('keeps literal <swi> tokens, which are text and not HTML', () => {
    expect(byId.get('2606.13106')?.abstract).toContain(
      'emits <swi> to enter latent mode and </swi> to exit',
    )
  })

  it('parses the same from a string as from bytes', () => {
    expect(parseHfDaily(readFixture(FIXTURE))).toEqual(outcome)
  })
})

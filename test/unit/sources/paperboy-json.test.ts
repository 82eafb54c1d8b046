import { describe, expect, it } from 'vitest'
import { parsePaperboyJson } from '../../../services/sources/paperboy-json.js'
import { readFixture } from '../../helpers/fixtures.js'

const README_EXAMPLE = {
  papers: [
    {
      id: '2509.16616',
      title: 'Learn to Rank Risky Investors',
      abstract: 'Identifying risky traders ...',
      authors: ['A. Author', 'B. Author'],
      publishedAt: '2025-09-20T00:00:00Z',
      url: 'https://arxiv.org/abs/2509.16616',
      upvotes: 3,
      categories: ['q-fin.RM', 'cs.LG'],
    },
  ],
}

const json = (papers: unknown[]) => JSON.stringify({ papers })
const valid = (over: Record<string, unknown> = {}) => ({
  id: '2509.16616',
  title: 'T',
  abstract: 'A',
  ...over,
})

describe('parsePaperboyJson', () => {
  it('reads the example of the format', () => {
    expect(parsePaperboyJson(JSON.stringify(README_EXAMPLE))).toEqual({
      format: 'json',
      rejected: [],
      papers: [
        {
          id: '2509.16616',
          title: 'Learn to Rank Risky Investors',
          abstract: 'Identifying risky traders ...',
          authors: ['A. Author', 'B. Author'],
          categories: ['q-fin.RM', 'cs.LG'],
          publishedAt: new Date('2025-09-20T00:00:00Z'),
          updatedAt: null,
          url: 'https://arxiv.org/abs/2509.16616',
          upvotes: 3,
          organization: null,
          thumbnailUrl: null,
          aiKeywords: [],
          aiSummary: null,
          version: null,
          source: 'json',
        },
      ],
    })
  })

  it('needs only id, title and abstract; derives the arXiv URL; keeps non-arXiv ids without URL', () => {
    const outcome = parsePaperboyJson(
      json([valid({ id: 'arXiv:2509.16616v2' }), valid({ id: 'openreview:xyz' })]),
    )
    expect(outcome.papers[0]).toMatchObject({
      id: '2509.16616',
      version: 2,
      url: 'https://arxiv.org/abs/2509.16616',
    })
    expect(outcome.papers[1]).toMatchObject({ id: 'openreview:xyz', version: null, url: null })
  })

  it('reads the optional Paperboy fields beyond §6', () => {
    const outcome = parsePaperboyJson(
      json([
        valid({
          updatedAt: '2025-09-21',
          organization: 'ByteDance Seed',
          aiKeywords: ['ranking'],
          aiSummary: 'Short.',
          version: 2,
          unknownField: 'ignored',
        }),
      ]),
    )
    expect(outcome.papers[0]).toMatchObject({
      updatedAt: new Date('2025-09-21T00:00:00Z'),
      organization: 'ByteDance Seed',
      aiKeywords: ['ranking'],
      aiSummary: 'Short.',
      version: 2,
    })
  })

  it('rejects every paper of seed-papers.json, which has no ids', () => {
    const outcome = parsePaperboyJson(readFixture('seed-papers.json'))
    expect(outcome.papers).toEqual([])
    expect(outcome.rejected).toHaveLength(36)
    expect(outcome.rejected.every((r, i) => r.index === i && r.reason === 'missing id')).toBe(true)
  })

  it('accepts all 36 seed papers once a test gives them ids', () => {
    const seed = JSON.parse(readFixture('seed-papers.json')) as {
      papers: Array<Record<string, unknown>>
    }
    const papers = seed.papers.map((p, i) => ({ ...p, id: `seed-${i}` }))
    const outcome = parsePaperboyJson(json(papers))
    expect(outcome.rejected).toEqual([])
    expect(outcome.papers).toHaveLength(36)
    expect(outcome.papers[0]).toMatchObject({
      id: 'seed-0',
      title:
        "Learn to Rank Risky Investors: A Case Study of Predicting Retail Traders' Behaviour and Profitability",
      upvotes: 0,
      organization: null,
    })
    expect(outcome.papers[0]?.abstract).toContain('profit and loss (P&L) considerations')
    expect(outcome.papers[12]?.organization).toBe('ByteDance-Seed ByteDance Seed')
    expect(outcome.papers[33]).toMatchObject({
      title: 'LoRA Fine-tuning Efficiently Undoes Safety Training in Llama 2-Chat 70B',
      upvotes: 9,
    })
  })

  it('rejects each invalid paper with its index and reason, keeping the valid ones', () => {
    const outcome = parsePaperboyJson(
      json([
        valid({ id: '2501.00001' }),
        'not an object',
        valid({ id: 2501.0001 }),
        { id: '2501.00003', abstract: 'A' },
        valid({ id: '2501.00004', title: '   ' }),
        valid({ id: '2501.00005', authors: 'One Author' }),
        valid({ id: '2501.00006', authors: ['ok', 7] }),
        valid({ id: '2501.00007', upvotes: -1 }),
        valid({ id: '2501.00008', upvotes: '3' }),
        valid({ id: '2501.00009', url: 'javascript:alert(1)' }),
        valid({ id: '2501.00010', categories: ['Machine Learning'] }),
        valid({ id: '2501.00011', publishedAt: '2025-02-30' }),
        valid({ id: 'bad id' }),
        valid({ id: '2501.00013v2', version: 3 }),
        valid({ id: '2501.00014' }),
      ]),
    )
    expect(outcome.papers.map((p) => p.id)).toEqual(['2501.00001', '2501.00014'])
    expect(outcome.rejected).toEqual([
      { index: 1, reason: 'paper must be a JSON object' },
      { index: 2, reason: 'id must be a string, not number (write "2501.0001" in quotes)' },
      { index: 3, id: '2501.00003', reason: 'missing title' },
      { index: 4, id: '2501.00004', reason: 'title is empty' },
      { index: 5, id: '2501.00005', reason: 'authors must be an array of strings, not string' },
      { index: 6, id: '2501.00006', reason: 'authors[1] must be a string, not number' },
      { index: 7, id: '2501.00007', reason: 'upvotes must be a whole number from 0 to 1000000000' },
      { index: 8, id: '2501.00008', reason: 'upvotes must be a number, not string' },
      {
        index: 9,
        id: '2501.00009',
        reason: 'url "javascript:alert(1)" is not an absolute http(s) URL',
      },
      {
        index: 10,
        id: '2501.00010',
        reason: 'categories[0] "Machine Learning" is not an arXiv category code such as cs.LG',
      },
      { index: 11, id: '2501.00011', reason: 'publishedAt is not a valid date: "2025-02-30"' },
      {
        index: 12,
        reason: 'invalid id "bad id": id contains whitespace, control or non-printable characters',
      },
      { index: 13, id: '2501.00013', reason: "version 3 contradicts the id's v2" },
    ])
  })
})

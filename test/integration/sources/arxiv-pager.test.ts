import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { arxivPages, fetchArxivQuery } from '../../../services/sources/arxiv-pager.js'
import type { FetchOptions } from '../../../services/sources/fetch.js'
import { readFixture } from '../../helpers/fixtures.js'
import { startServer, type TestServer } from './misbehaving-server.js'

// The legacy fixture's 10 real entries, served as an arXiv API that pages like the real one.
const LEGACY = readFixture('arxiv-api-query-legacy-2016.atom.xml')
const ENTRIES = LEGACY.match(/<entry>[\s\S]*?<\/entry>/g) ?? []

function page(entries: string[], total: number, start: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title type="html">ArXiv Query</title>
  <opensearch:totalResults>${total}</opensearch:totalResults>
  <opensearch:startIndex>${start}</opensearch:startIndex>
  ${entries.join('\n')}
</feed>`
}

let server: TestServer

beforeAll(async () => {
  const serve = (shift: (start: number, n: number) => number, emptyFirst = false) => {
    return (
      req: import('node:http').IncomingMessage,
      res: import('node:http').ServerResponse,
      n: number,
    ) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const start = Number(url.searchParams.get('start'))
      const max = Number(url.searchParams.get('max_results'))
      const from = shift(start, n)
      const entries = emptyFirst && n === 2 ? [] : ENTRIES.slice(from, from + max)
      res
        .writeHead(200, { 'content-type': 'application/atom+xml' })
        .end(page(entries, ENTRIES.length, start))
    }
  }
  server = await startServer({
    '/api/query': serve((start) => start),
    // New submissions pushed the results down by one between page 1 and page 2.
    '/shifted/query': serve((start, n) => (n >= 2 ? start - 1 : start)),
    // The second request gets an empty page once, as arXiv sometimes answers.
    '/flaky/query': serve((start) => start, true),
  })
})

afterAll(async () => {
  await server.close()
})

function options(extra: Partial<Parameters<typeof fetchArxivQuery>[1]> = {}) {
  const sleeps: number[] = []
  const fetchOptions: FetchOptions = {
    userAgent: 'Paperboy/0.1 (+https://github.com/example/paperboy; self-hosted paper digests)',
    sleep: async (ms) => {
      sleeps.push(ms)
    },
  }
  return {
    sleeps,
    opts: { ...fetchOptions, max: 100, pageSize: 4, baseUrl: `${server.base}/api/query`, ...extra },
  }
}

const requests = (path: string) => server.seen.filter((r) => r.path === path)

describe('arXiv API paging', () => {
  it('pages through all results, waiting 3 s between requests by default', async () => {
    const before = requests('/api/query').length
    const { sleeps, opts } = options()
    const outcome = await fetchArxivQuery('au:del_maestro', opts)
    expect(outcome.format).toBe('arxiv')
    expect(outcome.rejected).toEqual([])
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
    const seen = requests('/api/query').slice(before)
    expect(
      seen.map((r) => [r.url.searchParams.get('start'), r.url.searchParams.get('max_results')]),
    ).toEqual([
      ['0', '4'],
      ['4', '4'],
      ['8', '4'],
    ])
    expect(seen[0]?.url.searchParams.get('search_query')).toBe('au:del_maestro')
    expect(seen[0]?.url.searchParams.get('sortBy')).toBe('submittedDate')
    expect(sleeps).toEqual([3_000, 3_000])
  })

  it('really waits the injected delay between requests', async () => {
    const before = requests('/api/query').length
    const { opts } = options({ delayMs: 80 })
    const { sleep: _instant, ...realSleep } = opts
    await fetchArxivQuery('au:del_maestro', realSleep)
    const times = requests('/api/query')
      .slice(before)
      .map((r) => r.at)
    expect(times).toHaveLength(3)
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(75)
    }
  })

  it('stops at max, asking only for what is left', async () => {
    const before = requests('/api/query').length
    const { opts } = options({ max: 5 })
    const outcome = await fetchArxivQuery('au:del_maestro', opts)
    expect(outcome.papers).toHaveLength(5)
    expect(
      requests('/api/query')
        .slice(before)
        .map((r) => r.url.searchParams.get('max_results')),
    ).toEqual(['4', '1'])
  })

  it('yields pages with their start offsets', async () => {
    const { opts } = options()
    const starts: number[] = []
    for await (const p of arxivPages('au:del_maestro', opts)) starts.push(p.start)
    expect(starts).toEqual([0, 4, 8])
  })

  it('rejects a paper repeated across shifted pages, with its index in the whole search', async () => {
    const { opts } = options({ baseUrl: `${server.base}/shifted/query` })
    const outcome = await fetchArxivQuery('au:del_maestro', opts)
    // Page 2 repeats the last entry of page 1; every entry is still fetched once.
    expect(outcome.papers).toHaveLength(10)
    expect(outcome.rejected).toEqual([
      { index: 4, id: '1005.5383', reason: 'duplicate id 1005.5383 (also at index 3)' },
    ])
  })

  it('asks again once for a spuriously empty page', async () => {
    const { sleeps, opts } = options({ baseUrl: `${server.base}/flaky/query` })
    const outcome = await fetchArxivQuery('au:del_maestro', opts)
    expect(outcome.papers).toHaveLength(10)
    expect(requests('/flaky/query')).toHaveLength(4)
    expect(sleeps).toEqual([3_000, 3_000, 3_000])
  })
})

import { describe, expect, it } from 'vitest'
import { buildUserAgent } from '../../../services/sources/fetch.js'
import { backoffDelay, parseRetryAfter, truncation } from '../../../services/sources/retry.js'
import { arxivQueryUrl, arxivRssUrl, hfDailyUrl } from '../../../services/sources/urls.js'

describe('URL builders', () => {
  it('hfDailyUrl', () => {
    expect(hfDailyUrl()).toBe('https://huggingface.co/api/daily_papers')
    expect(hfDailyUrl('2026-06-12')).toBe('https://huggingface.co/api/daily_papers?date=2026-06-12')
    expect(hfDailyUrl(new Date('2026-06-12T23:59:00Z'))).toBe(
      'https://huggingface.co/api/daily_papers?date=2026-06-12',
    )
    expect(() => hfDailyUrl('2026-02-30')).toThrow(RangeError)
    expect(() => hfDailyUrl('12/06/2026')).toThrow('not a YYYY-MM-DD date')
    expect(() => hfDailyUrl(new Date('nope'))).toThrow(RangeError)
  })

  it('arxivQueryUrl', () => {
    expect(arxivQueryUrl('cat:cs.AI AND ti:safety', 0, 50)).toBe(
      'http://export.arxiv.org/api/query?search_query=cat%3Acs.AI%20AND%20ti%3Asafety&start=0&max_results=50&sortBy=submittedDate&sortOrder=descending',
    )
    expect(arxivQueryUrl('all:"large language" & x', 100, 2000, 'http://127.0.0.1:9/q')).toBe(
      'http://127.0.0.1:9/q?search_query=all%3A%22large%20language%22%20%26%20x&start=100&max_results=2000&sortBy=submittedDate&sortOrder=descending',
    )
    expect(() => arxivQueryUrl('  ', 0, 10)).toThrow('empty query')
    expect(() => arxivQueryUrl('q', -1, 10)).toThrow(RangeError)
    expect(() => arxivQueryUrl('q', 0, 2001)).toThrow(RangeError)
    expect(() => arxivQueryUrl('q', 0, 0)).toThrow(RangeError)
  })

  it('arxivRssUrl', () => {
    expect(arxivRssUrl('cs.AI')).toBe('https://rss.arxiv.org/rss/cs.AI')
    expect(arxivRssUrl('cs.AI+cs.LG')).toBe('https://rss.arxiv.org/rss/cs.AI+cs.LG')
    expect(arxivRssUrl('math-ph')).toBe('https://rss.arxiv.org/rss/math-ph')
    expect(() => arxivRssUrl('../admin')).toThrow('is not an arXiv category')
    expect(() => arxivRssUrl('cs.AI?x=1')).toThrow(RangeError)
  })

  it('buildUserAgent', () => {
    expect(buildUserAgent('0.1', 'https://github.com/example/paperboy')).toBe(
      'Paperboy/0.1 (+https://github.com/example/paperboy; self-hosted paper digests)',
    )
  })
})

describe('retry policy', () => {
  const now = Date.parse('2026-06-12T10:00:00Z')

  it('parses Retry-After seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Fri, 12 Jun 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Fri, 12 Jun 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter(null, now)).toBeNull()
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter('1.5', now)).toBeNull()
  })

  it('full jitter stays below the exponential ceiling', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0.999)).toBe(999)
    expect(backoffDelay(3, 1000, 30_000, () => 0.5)).toBe(4000)
    expect(backoffDelay(10, 1000, 30_000, () => 0.5)).toBe(15_000)
    expect(backoffDelay(2, 1000, 30_000, () => 0)).toBe(0)
  })

  it('detects a truncated body only when Content-Length counts the same bytes', () => {
    expect(truncation(100, '100', null)).toBeNull()
    expect(truncation(60, '100', null)).toBe('truncated body: got 60 of 100 bytes')
    expect(truncation(60, '100', 'identity')).toBe('truncated body: got 60 of 100 bytes')
    expect(truncation(5000, '100', 'gzip')).toBeNull()
    expect(truncation(60, null, null)).toBeNull()
  })
})

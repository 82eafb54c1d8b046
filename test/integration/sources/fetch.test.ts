import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAny } from '../../../services/sources/detect.js'
import {
  FetchError,
  type FetchOptions,
  fetchSource,
  type RetryEvent,
} from '../../../services/sources/fetch.js'
import { readFixtureBytes } from '../../helpers/fixtures.js'
import { startServer, type TestServer } from './misbehaving-server.js'

const HF = readFixtureBytes('hf-daily-papers-2026-06-12.json')
const RSS = readFixtureBytes('arxiv-rss-cs.AI.xml')
const ETAG = `"${createHash('sha1').update(HF).digest('hex')}"`
const LAST_MODIFIED = 'Fri, 12 Jun 2026 06:00:00 GMT'
const UA = 'Paperboy/0.1 (+https://github.com/example/paperboy; self-hosted paper digests)'

let server: TestServer

beforeAll(async () => {
  server = await startServer({
    '/hf': (req, res) => {
      if (req.headers['if-none-match'] === ETAG) {
        res.writeHead(304, { etag: ETAG }).end()
        return
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': HF.byteLength,
        etag: ETAG,
        'last-modified': LAST_MODIFIED,
      })
      res.end(HF)
    },
    '/since': (req, res) => {
      if (req.headers['if-modified-since'] === LAST_MODIFIED) res.writeHead(304).end()
      else res.writeHead(200, { 'last-modified': LAST_MODIFIED }).end(RSS)
    },
    '/slow-headers': (_req, res, n) => {
      // The first answer comes long after the client's timeout.
      server.later(n === 1 ? 2_000 : 0, () => res.writeHead(200).end(RSS))
    },
    '/slow-body': (_req, res, n) => {
      res.writeHead(200, { 'content-length': RSS.byteLength })
      res.write(RSS.subarray(0, 100))
      if (n === 1) server.later(2_000, () => res.end(RSS.subarray(100)))
      else res.end(RSS.subarray(100))
    },
    '/503-then-200': (_req, res, n) => {
      if (n <= 2)
        res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Service Unavailable</h1>')
      else res.writeHead(200).end(RSS)
    },
    '/always-502': (_req, res) => {
      res.writeHead(502).end('bad gateway')
    },
    '/429-seconds': (_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': '2' }).end('slow down')
      else res.writeHead(200).end(RSS)
    },
    '/429-date': (_req, res, n) => {
      if (n === 1) res.writeHead(429, { 'retry-after': 'Fri, 12 Jun 2026 10:00:07 GMT' }).end()
      else res.writeHead(200).end(RSS)
    },
    '/429-hour': (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' }).end()
    },
    '/truncated': (req, res, n) => {
      if (n === 1) {
        // Promise the whole file, send 60%, hang up.
        const part = RSS.subarray(0, Math.floor(RSS.byteLength * 0.6))
        req.socket.write(
          `HTTP/1.1 200 OK\r\nContent-Length: ${RSS.byteLength}\r\nConnection: close\r\n\r\n`,
        )
        req.socket.end(part)
        return
      }
      res.writeHead(200, { 'content-length': RSS.byteLength }).end(RSS)
    },
    '/huge-declared': (_req, res) => {
      res.writeHead(200, { 'content-length': 10_000 }).end(Buffer.alloc(10_000, 0x20))
    },
    '/huge-chunked': (_req, res) => {
      res.writeHead(200)
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1_000, 0x20))
      res.end()
    },
    '/hang': (_req, res) => {
      server.later(10_000, () => res.writeHead(200).end())
    },
    '/not-found': (_req, res) => {
      res.writeHead(404).end('gone')
    },
  })
})

afterAll(async () => {
  await server.close()
})

interface Recorder {
  waits: number[]
  events: RetryEvent[]
  options: FetchOptions
}

/** Options with instant, recorded sleeps, so retry tests take milliseconds. */
function recorder(extra: Partial<FetchOptions> = {}): Recorder {
  const waits: number[] = []
  const events: RetryEvent[] = []
  return {
    waits,
    events,
    options: {
      userAgent: UA,
      timeoutMs: 300,
      retries: 3,
      backoffBaseMs: 100,
      random: () => 0.5,
      sleep: async (ms) => {
        waits.push(ms)
      },
      onRetry: (e) => events.push(e),
      ...extra,
    },
  }
}

const hits = (path: string) => server.seen.filter((r) => r.path === path)

describe('fetchSource against a real HTTP server', () => {
  it('fetches a fixture, sends the User-Agent, and returns the cache validators', async () => {
    const result = await fetchSource(`${server.base}/hf`, recorder().options)
    expect(result.notModified).toBe(false)
    if (result.notModified) return
    expect(result.status).toBe(200)
    expect(result.body.equals(HF)).toBe(true)
    expect(result.contentType).toBe('application/json')
    expect(result.cache).toEqual({ etag: ETAG, lastModified: LAST_MODIFIED })
    expect(parseAny(result.body).papers).toHaveLength(30)
    const request = hits('/hf').at(-1)
    expect(request?.headers['user-agent']).toBe(UA)
    expect(request?.headers['if-none-match']).toBeUndefined()
  })

  it('answers {notModified: true} on 304 for a matching ETag', async () => {
    const result = await fetchSource(`${server.base}/hf`, {
      ...recorder().options,
      cache: { etag: ETAG, lastModified: LAST_MODIFIED },
    })
    expect(result).toEqual({
      notModified: true,
      url: `${server.base}/hf`,
      status: 304,
      cache: { etag: ETAG, lastModified: LAST_MODIFIED },
    })
    const request = hits('/hf').at(-1)
    expect(request?.headers['if-none-match']).toBe(ETAG)
    expect(request?.headers['if-modified-since']).toBe(LAST_MODIFIED)
  })

  it('sends If-Modified-Since alone when there is no ETag', async () => {
    const result = await fetchSource(`${server.base}/since`, {
      ...recorder().options,
      cache: { lastModified: LAST_MODIFIED },
    })
    expect(result.notModified).toBe(true)
  })

  it('retries after a timeout waiting for headers', async () => {
    const r = recorder({ timeoutMs: 150 })
    const started = performance.now()
    const result = await fetchSource(`${server.base}/slow-headers`, r.options)
    expect(result.notModified).toBe(false)
    expect(performance.now() - started).toBeLessThan(1_500)
    expect(hits('/slow-headers')).toHaveLength(2)
    expect(r.events.map((e) => e.error.message)).toEqual([
      'timed out after 150 ms before the response',
    ])
  })

  it('retries after a timeout while the body trickles in', async () => {
    const r = recorder({ timeoutMs: 150 })
    const result = await fetchSource(`${server.base}/slow-body`, r.options)
    expect(!result.notModified && result.body.equals(RSS)).toBe(true)
    expect(r.events.map((e) => e.error.message)).toEqual([
      'timed out after 150 ms while reading the body',
    ])
  })

  it('retries 503 with exponential backoff and full jitter, then succeeds', async () => {
    const r = recorder()
    const result = await fetchSource(`${server.base}/503-then-200`, r.options)
    expect(!result.notModified && result.body.equals(RSS)).toBe(true)
    expect(hits('/503-then-200')).toHaveLength(3)
    // random() = 0.5 of base·2^n: 0.5·100, 0.5·200.
    expect(r.waits).toEqual([50, 100])
    expect(r.events.map((e) => e.error.status)).toEqual([503, 503])
  })

  it('gives up after the last retry with a descriptive error', async () => {
    const r = recorder({ retries: 2 })
    const error = await fetchSource(`${server.base}/always-502`, r.options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FetchError)
    expect(error).toMatchObject({ status: 502, attempts: 3, retryable: true })
    expect((error as FetchError).message).toMatch(
      /^HTTP 502 Bad Gateway from .* \(gave up after 3 attempts\)$/,
    )
    expect(hits('/always-502')).toHaveLength(3)
  })

  it('waits as long as Retry-After says, in seconds', async () => {
    const r = recorder()
    await fetchSource(`${server.base}/429-seconds`, r.options)
    expect(r.waits).toEqual([2_000])
  })

  it('waits as long as Retry-After says, as an HTTP date', async () => {
    const r = recorder({ now: () => Date.parse('2026-06-12T10:00:00Z') })
    await fetchSource(`${server.base}/429-date`, r.options)
    expect(r.waits).toEqual([7_000])
  })

  it('stops at once when Retry-After is beyond the cap, reporting it', async () => {
    const r = recorder({ retryAfterMaxMs: 60_000 })
    const error = await fetchSource(`${server.base}/429-hour`, r.options).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_600_000 })
    expect((error as Error).message).toContain('server asks to retry after 3600 s')
    expect(r.waits).toEqual([])
    expect(hits('/429-hour')).toHaveLength(1)
  })

  it('retries a truncated body', async () => {
    const r = recorder()
    const result = await fetchSource(`${server.base}/truncated`, r.options)
    expect(!result.notModified && result.body.equals(RSS)).toBe(true)
    expect(hits('/truncated')).toHaveLength(2)
    // undici notices the short body itself (UND_ERR_RES_CONTENT_LENGTH_MISMATCH); fetchSource's
    // own Content-Length check is the fallback for clients that do not (see urls.test.ts).
    expect(r.events[0]?.error.message).toMatch(/CONTENT_LENGTH_MISMATCH|truncated body/)
  })

  it('refuses a body above maxBytes by its Content-Length, without retrying', async () => {
    const error = await fetchSource(
      `${server.base}/huge-declared`,
      recorder({ maxBytes: 5_000 }).options,
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('larger than 5000 bytes'),
    })
    expect(hits('/huge-declared')).toHaveLength(1)
  })

  it('stops reading a chunked body once it passes maxBytes', async () => {
    const error = await fetchSource(
      `${server.base}/huge-chunked`,
      recorder({ maxBytes: 5_000 }).options,
    ).catch((e: unknown) => e)
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('larger than 5000 bytes'),
    })
  })

  it('does not retry a 404', async () => {
    const r = recorder()
    const error = await fetchSource(`${server.base}/not-found`, r.options).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 404, retryable: false, attempts: 1 })
    expect(r.waits).toEqual([])
  })

  it('retries a refused connection, then reports a network error', async () => {
    const closed = await startServer({})
    const url = `${closed.base}/x`
    await closed.close()
    const r = recorder({ retries: 1 })
    const error = await fetchSource(url, r.options).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: null, attempts: 2 })
    expect((error as Error).message).toMatch(/^network error before the response: ECONNREFUSED/)
  })

  it('does not retry when the caller aborts', async () => {
    const controller = new AbortController()
    const r = recorder({ signal: controller.signal, timeoutMs: 5_000 })
    setTimeout(() => controller.abort(), 50)
    const error = await fetchSource(`${server.base}/hang`, r.options).catch((e: unknown) => e)
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('was aborted'),
    })
    expect(r.waits).toEqual([])
  })

  it('needs a User-Agent', async () => {
    await expect(fetchSource(`${server.base}/hf`, { userAgent: ' ' })).rejects.toThrow(TypeError)
  })
})

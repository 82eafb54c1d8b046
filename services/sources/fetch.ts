import { setTimeout as delay } from 'node:timers/promises'
import { MAX_BODY_BYTES } from './body.js'
import { backoffDelay, parseRetryAfter, truncation } from './retry.js'

/** Validators from the last successful fetch of a URL; the caller stores them between runs. */
export interface HttpCache {
  etag?: string | null
  lastModified?: string | null
}

export interface RetryEvent {
  attempt: number
  waitMs: number
  error: FetchError
}

export interface FetchOptions {
  /** Sources ask for a descriptive agent with a contact URL; see `buildUserAgent`. */
  userAgent: string
  accept?: string
  /** Per attempt, covering headers and body. Default 30 s. */
  timeoutMs?: number
  /** Attempts after the first one. Default 3. */
  retries?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** No retry waits less than this (the arXiv pager sets its 3 s here). */
  minRetryDelayMs?: number
  /** Longest `Retry-After` honoured; a longer one ends the fetch (`FetchError.retryAfterMs`). */
  retryAfterMaxMs?: number
  maxBytes?: number
  cache?: HttpCache | null
  signal?: AbortSignal
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  now?: () => number
  onRetry?: (event: RetryEvent) => void
}

export type FetchResult =
  | { notModified: true; url: string; status: 304; cache: HttpCache }
  | {
      notModified: false
      url: string
      status: number
      body: Buffer
      contentType: string | null
      cache: HttpCache
    }

export class FetchError extends Error {
  override name = 'FetchError'
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly attempts = 1,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

type Settings = Required<Omit<FetchOptions, 'cache' | 'signal' | 'onRetry'>> &
  Pick<FetchOptions, 'cache' | 'signal' | 'onRetry'>

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : {})
}

const DEFAULTS = {
  accept:
    'application/json, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5',
  timeoutMs: 30_000,
  retries: 3,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  minRetryDelayMs: 0,
  retryAfterMaxMs: 120_000,
  maxBytes: MAX_BODY_BYTES,
  sleep: abortableSleep,
  random: Math.random,
  now: Date.now,
}

/** `Paperboy/0.1 (+https://…; self-hosted paper digests)`: who is calling and where to complain. */
export function buildUserAgent(version: string, homepage: string): string {
  return `Paperboy/${version} (+${homepage}; self-hosted paper digests)`
}

function failure(url: string, error: unknown, timeout: AbortSignal, s: Settings, stage: string) {
  if (s.signal?.aborted) return new FetchError(`fetch of ${url} was aborted`, url, null, false)
  if (timeout.aborted) {
    return new FetchError(`timed out after ${s.timeoutMs} ms ${stage}`, url, null, true)
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const detail = cause?.code ?? cause?.message ?? (error as Error).message
  return new FetchError(`network error ${stage}: ${detail}`, url, null, true, null, 1, {
    cause: error,
  })
}

async function readBody(response: Response, url: string, timeout: AbortSignal, s: Settings) {
  const tooBig = () =>
    new FetchError(`body of ${url} is larger than ${s.maxBytes} bytes`, url, response.status, false)
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > s.maxBytes) {
    await response.body?.cancel()
    throw tooBig()
  }
  if (response.body === null) return Buffer.alloc(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      // Checked while streaming: a missing or lying Content-Length must not let a body fill memory.
      if (total > s.maxBytes) {
        await reader.cancel()
        throw tooBig()
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof FetchError) throw error
    throw failure(url, error, timeout, s, 'while reading the body')
  }
  return Buffer.concat(chunks, total)
}

async function attempt(url: string, s: Settings): Promise<FetchResult> {
  const headers: Record<string, string> = { 'user-agent': s.userAgent, accept: s.accept }
  if (s.cache?.etag) headers['if-none-match'] = s.cache.etag
  if (s.cache?.lastModified) headers['if-modified-since'] = s.cache.lastModified
  const timeout = AbortSignal.timeout(s.timeoutMs)
  const signal = s.signal ? AbortSignal.any([s.signal, timeout]) : timeout
  let response: Response
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' })
  } catch (error) {
    throw failure(url, error, timeout, s, 'before the response')
  }
  const { status } = response
  const conditional = 'if-none-match' in headers || 'if-modified-since' in headers
  if (status === 304 && conditional) {
    await response.body?.cancel()
    const etag = response.headers.get('etag') ?? s.cache?.etag ?? null
    return { notModified: true, url, status, cache: { ...s.cache, etag } }
  }
  if (status === 429 || status >= 500 || !response.ok) {
    await response.body?.cancel()
    const retryable = status === 429 || status >= 500
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), s.now())
    const message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''} from ${url}`
    throw new FetchError(message, url, status, retryable, retryAfter)
  }
  const body = await readBody(response, url, timeout, s)
  const truncated = truncation(
    body.byteLength,
    response.headers.get('content-length'),
    response.headers.get('content-encoding'),
  )
  if (truncated !== null) throw new FetchError(`${truncated} from ${url}`, url, status, true)
  return {
    notModified: false,
    url: response.url || url,
    status,
    body,
    contentType: response.headers.get('content-type'),
    cache: {
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
    },
  }
}

function giveUp(error: FetchError, attempts: number, why: string): FetchError {
  return new FetchError(
    `${error.message} (${why})`,
    error.url,
    error.status,
    // Still transient: a job retried later may well succeed.
    error.retryable,
    error.retryAfterMs,
    attempts,
    { cause: error },
  )
}

/**
 * GETs a source URL. Retries network errors, timeouts, truncated bodies, 429 and 5xx with
 * backoff (or the server's `Retry-After`); other statuses fail at once. With `cache`, sends
 * conditional headers and reports `{notModified: true}` on 304.
 */
export async function fetchSource(url: string, options: FetchOptions): Promise<FetchResult> {
  if (options.userAgent.trim() === '') throw new TypeError('fetchSource needs a userAgent')
  const s: Settings = { ...DEFAULTS, ...stripUndefined(options), userAgent: options.userAgent }
  for (let attempts = 1; ; attempts++) {
    try {
      return await attempt(url, s)
    } catch (caught) {
      if (!(caught instanceof FetchError)) throw caught
      if (!caught.retryable)
        throw attempts > 1 ? giveUp(caught, attempts, `after ${attempts} attempts`) : caught
      if (attempts > s.retries) throw giveUp(caught, attempts, `gave up after ${attempts} attempts`)
      if (caught.retryAfterMs !== null && caught.retryAfterMs > s.retryAfterMaxMs) {
        const secs = Math.ceil(caught.retryAfterMs / 1000)
        throw giveUp(
          caught,
          attempts,
          `server asks to retry after ${secs} s, longer than this fetch waits`,
        )
      }
      const backoff = backoffDelay(attempts - 1, s.backoffBaseMs, s.backoffMaxMs, s.random)
      const waitMs = Math.max(caught.retryAfterMs ?? backoff, s.minRetryDelayMs)
      s.onRetry?.({ attempt: attempts, waitMs, error: caught })
      await s.sleep(waitMs, s.signal)
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Pure pieces of the fetcher's retry policy, kept apart so they can be tested exactly. */

/** Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // Only real HTTP dates (they name a weekday or month); Date.parse alone accepts "1".
  if (!/[A-Za-z]{3}/.test(text)) return null
  const when = Date.parse(text)
  return Number.isNaN(when) ? null : Math.max(0, when - nowMs)
}

/**
 * "Full jitter" exponential backoff: a random wait in [0, min(max, base·2^retry)). Spreading
 * retries out keeps many Paperboy instances from hitting a recovering server in step.
 */
export function backoffDelay(retry: number, baseMs: number, maxMs: number, random: () => number) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * Why a body is incomplete, or null. Content-Length counts the bytes on the wire, so it says
 * nothing about a body fetch has already decompressed.
 */
export function truncation(
  received: number,
  contentLength: string | null,
  contentEncoding: string | null,
): string | null {
  if (contentLength === null || !/^\d+$/.test(contentLength.trim())) return null
  const encoding = contentEncoding?.trim().toLowerCase() ?? ''
  if (encoding !== '' && encoding !== 'identity') return null
  const expected = Number(contentLength)
  return received === expected ? null : `truncated body: got ${received} of ${expected} bytes`
}

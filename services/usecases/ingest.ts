import type { Database } from '../db/client.js'
import { storeBatch } from '../db/repositories/papers.js'
import type { SourceName } from '../domain/papers/incoming.js'
import type { HttpCacheStore } from '../sources/http-cache-store.js'
import {
  arxivRssUrl,
  buildUserAgent,
  type FetchOptions,
  fetchArxivQuery,
  fetchSource,
  hfDailyUrl,
  type ParseOutcome,
  parseAny,
  parsers,
  type RejectedItem,
} from '../sources/index.js'
import { describeSource, type IngestSource } from '../sources/ingest-source.js'

export interface IngestReport {
  readonly source: string
  readonly format: SourceName | null
  /** True when the source answered 304: nothing changed since the last fetch. */
  readonly notModified: boolean
  readonly new: number
  readonly updated: number
  readonly unchanged: number
  readonly rejected: readonly RejectedItem[]
  /** The new papers handed to the matcher (empty with deliver: false). */
  readonly toMatch: readonly string[]
}

export interface IngestDeps {
  readonly db: Database
  readonly httpCache: HttpCacheStore | undefined
  /** Hands new papers to the matcher; returns the job id so callers can wait for it. */
  readonly enqueueMatch: (paperIds: readonly string[]) => Promise<string | undefined>
  readonly now: () => Date
  readonly fetchOptions?: Partial<FetchOptions>
  readonly onProgress?: (message: string) => void
  /** Told about every stored batch (metrics). */
  readonly onReport?: (report: IngestReport) => void
}

export const USER_AGENT = buildUserAgent('0.1', 'https://github.com/paperboy-digest/paperboy')

/**
 * Fetches (when needed), parses and stores one source in one transaction, then queues the
 * new papers for matching. A body that cannot be read at all throws; bad items are reported
 * one by one and the good ones are stored.
 */
export async function ingest(
  source: IngestSource,
  options: { deliver: boolean },
  deps: IngestDeps,
): Promise<IngestReport & { matchJobId: string | undefined }> {
  const progress = deps.onProgress ?? (() => {})
  const fetchOptions: FetchOptions = {
    userAgent: USER_AGENT,
    ...deps.fetchOptions,
    onRetry: (event) =>
      progress(`retrying in ${Math.round(event.waitMs / 1000)} s: ${event.error.message}`),
  }
  const label = describeSource(source)
  let outcome: ParseOutcome
  if (source.kind === 'body') {
    outcome = parseAny(source.body)
  } else if (source.kind === 'arxiv') {
    progress(`fetching ${label} (up to ${source.max} results, one request every 3 s)`)
    outcome = await fetchArxivQuery(source.query, { ...fetchOptions, max: source.max })
  } else {
    const url = source.kind === 'hf-daily' ? hfDailyUrl(source.date) : arxivRssUrl(source.category)
    progress(`fetching ${url}`)
    const cache = (await deps.httpCache?.get(url)) ?? null
    const result = await fetchSource(url, { ...fetchOptions, cache })
    if (result.notModified) {
      progress('not modified since the last fetch')
      return { ...emptyReport(label), notModified: true, matchJobId: undefined }
    }
    outcome = parsers[source.kind](result.body)
    await deps.httpCache?.set(url, result.cache)
  }
  progress(
    `read ${outcome.papers.length} paper(s) from ${label}, ${outcome.rejected.length} rejected; storing`,
  )
  const stored = await storeBatch(deps.db, outcome.papers, {
    deliver: options.deliver,
    now: deps.now(),
  })
  const matchJobId = stored.toMatch.length > 0 ? await deps.enqueueMatch(stored.toMatch) : undefined
  const report: IngestReport = {
    source: label,
    format: outcome.format,
    notModified: false,
    new: stored.inserted.length,
    updated: stored.updated.length,
    unchanged: stored.unchanged.length,
    rejected: outcome.rejected,
    toMatch: stored.toMatch,
  }
  deps.onReport?.(report)
  return { ...report, matchJobId }
}

function emptyReport(source: string): IngestReport {
  return {
    source,
    format: null,
    notModified: false,
    new: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    toMatch: [],
  }
}

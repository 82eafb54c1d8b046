import type { IncomingPaper } from '../domain/papers/incoming.js'
import { type ArxivAtomOutcome, parseArxivAtom } from './arxiv-atom.js'
import { BatchCollector } from './batch.js'
import { abortableSleep, FetchError, type FetchOptions, fetchSource } from './fetch.js'
import type { ParseOutcome } from './types.js'
import { ARXIV_API, arxivQueryUrl } from './urls.js'

/** arXiv's API terms ask for no more than one request every three seconds. */
export const ARXIV_DELAY_MS = 3_000

export interface ArxivPagingOptions extends Omit<FetchOptions, 'cache'> {
  /** Most results to fetch in all. */
  max: number
  pageSize?: number
  /** Wait between two requests (and the floor of every retry wait). Default 3 s. */
  delayMs?: number
  baseUrl?: string
}

export interface ArxivPage {
  start: number
  url: string
  outcome: ArxivAtomOutcome
}

/**
 * Pages through an arXiv API search, waiting `delayMs` between requests. Stops at `max`, at
 * the feed's totalResults, or at an empty page; an empty page before the end is asked for once
 * more, because the API is known to answer one spuriously.
 */
export async function* arxivPages(
  query: string,
  options: ArxivPagingOptions,
): AsyncGenerator<ArxivPage> {
  const {
    max,
    pageSize = 100,
    delayMs = ARXIV_DELAY_MS,
    baseUrl = ARXIV_API,
    ...fetchOptions
  } = options
  const sleep = options.sleep ?? abortableSleep
  const minRetryDelayMs = Math.max(options.minRetryDelayMs ?? 0, delayMs)
  let start = 0
  let requests = 0
  let retriedEmpty = false
  while (start < max) {
    if (requests > 0) await sleep(delayMs, options.signal)
    requests++
    const url = arxivQueryUrl(query, start, Math.min(pageSize, max - start), baseUrl)
    const result = await fetchSource(url, { ...fetchOptions, minRetryDelayMs, cache: null })
    if (result.notModified) throw new FetchError(`unexpected 304 from ${url}`, url, 304, false)
    const outcome = parseArxivAtom(result.body)
    const count = outcome.papers.length + outcome.rejected.length
    const total = outcome.totalResults
    if (count === 0 && total !== null && start < total && !retriedEmpty) {
      retriedEmpty = true
      continue
    }
    retriedEmpty = false
    yield { start, url, outcome }
    start += count
    if (count === 0 || (total !== null && start >= total)) return
  }
}

/** Each paper of a page with its index in the page: indices not rejected hold papers, in order. */
function* indexed(outcome: ParseOutcome): Generator<[number, IncomingPaper]> {
  const rejected = new Set(outcome.rejected.map((r) => r.index))
  let index = 0
  for (const paper of outcome.papers) {
    while (rejected.has(index)) index++
    yield [index, paper]
    index++
  }
}

/** All pages of a search as one outcome; indices count from the first result of the search. */
export async function fetchArxivQuery(
  query: string,
  options: ArxivPagingOptions,
): Promise<ParseOutcome> {
  const batch = new BatchCollector('arxiv')
  for await (const page of arxivPages(query, options)) {
    const items: Array<[number, () => void]> = []
    for (const [i, paper] of indexed(page.outcome)) {
      items.push([i, () => batch.accept(page.start + i, paper)])
    }
    for (const r of page.outcome.rejected) {
      items.push([r.index, () => batch.reject(page.start + r.index, r.reason, r.id)])
    }
    // Pages can overlap when new submissions shift the results; `accept` rejects repeats.
    for (const [, add] of items.sort((a, b) => a[0] - b[0])) add()
  }
  return batch.outcome()
}

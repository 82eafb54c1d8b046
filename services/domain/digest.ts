// Composition of a digest: which papers go in the email, in which group and order, what is
// highlighted, and the subject line. Pure: no I/O, no HTML (templates own the markup, so
// escaping stays in one place).

import { paperCard, whyReasons } from './digest/card.js'
import { highlight, shorten } from './digest/highlight.js'
import { paperText } from './digest/paper-text.js'
import {
  compareEntries,
  compareReasons,
  type Entry,
  groupKey,
  groupTitle,
  isTrending,
  matchCount,
} from './digest/rank.js'
import { digestSubject } from './digest/subject.js'
import type {
  ComposedDigest,
  DigestGroup,
  DigestItem,
  DigestPaper,
  DigestReason,
  RenderedPaper,
} from './digest/types.js'
import { arxivAbsUrl, isArxivId } from './papers/ids.js'
import { SEED_TOPICS, TRENDING } from './seed-topics.js'

export type { MatchedWord, PaperCard, WhyReason } from './digest/card.js'
export { httpsUrlOrNull } from './digest/card.js'
export { plural } from './digest/format.js'
export type { Segment } from './digest/highlight.js'
export { ELLIPSIS, highlight, shorten } from './digest/highlight.js'
export { MAX_SUBJECT_LENGTH } from './digest/subject.js'
export type * from './digest/types.js'

/** Papers in one email; the rest are on the web view. */
export const DEFAULT_DIGEST_LIMIT = 25
/**
 * Places kept for trending papers when matches alone would fill the email: a subscriber who
 * ticked "trending" should see some, but their own interests come first.
 */
export const TRENDING_FLOOR = 5
export const TITLE_MAX = 300
export const SHORT_ABSTRACT_MAX = 300
export const AUTHORS_SHOWN = 5
const AUTHOR_NAME_MAX = 80

const TRENDING_REASON: DigestReason = {
  source: {
    kind: 'topic',
    slug: TRENDING,
    name: SEED_TOPICS.find((t) => t.slug === TRENDING)?.name ?? 'Trending',
  },
  words: [],
}

/** One entry per paper id, whatever duplicates the inputs hold; trending marks its papers. */
function collect(items: readonly DigestItem[], trending: readonly DigestPaper[]): Entry[] {
  const byId = new Map<string, Entry>()
  const add = (paper: DigestPaper, reasons: readonly DigestReason[]) => {
    const entry = byId.get(paper.id)
    if (entry) {
      for (const r of reasons) entry.reasons.push(r)
    } else {
      byId.set(paper.id, { paper, reasons: [...reasons] })
    }
  }
  for (const item of items) add(item.paper, item.reasons)
  for (const paper of trending) {
    const entry = byId.get(paper.id)
    if (!entry?.reasons.some(isTrending)) add(paper, [TRENDING_REASON])
  }
  return [...byId.values()]
}

/** How many matched papers and trending-only papers fit, given TRENDING_FLOOR. */
function budget(matched: number, trendingOnly: number, limit: number) {
  if (matched + trendingOnly <= limit) return { matched, trendingOnly }
  const trendingShown = Math.min(
    trendingOnly,
    Math.max(Math.min(TRENDING_FLOOR, limit), limit - matched),
  )
  return { matched: Math.min(matched, limit - trendingShown), trendingOnly: trendingShown }
}

const HTTP_SCHEME = /^https?:/i

/** The link if it is http(s), else null: links come from sources and are never trusted as-is. */
export function httpUrlOrNull(url: string | null): string | null {
  if (url === null) return null
  // Surrounding spaces are a source's slip, not a reason to lose the link.
  const link = url.trim()
  // The scheme test comes first and settles most bad links; URL.canParse checks the rest
  // without building a URL object, which adds up at one link per paper per digest.
  return HTTP_SCHEME.test(link) && URL.canParse(link) ? link : null
}

function paperUrl(paper: DigestPaper): string | null {
  return httpUrlOrNull(paper.url) ?? (isArxivId(paper.id) ? arxivAbsUrl(paper.id) : null)
}

function authorLine(authors: readonly string[]): string {
  const names = authors.map((a) => a.replace(/\s+/gu, ' ').trim()).filter((a) => a !== '')
  const shown = names
    .slice(0, AUTHORS_SHOWN)
    .map((a) => (a.length > AUTHOR_NAME_MAX ? `${a.slice(0, AUTHOR_NAME_MAX - 1)}\u2026` : a))
  return names.length > AUTHORS_SHOWN ? `${shown.join(', ')} et al.` : shown.join(', ')
}

function renderPaper(entry: Entry, rank: number): RenderedPaper {
  const { paper } = entry
  const reasons = [...entry.reasons].sort(compareReasons)
  const words = reasons.flatMap((r) => r.words)
  const text = paperText(paper, words, () => {
    const title = shorten(highlight(paper.title, words), TITLE_MAX)
    const abstract = highlight(paper.abstract, words)
    const short = shorten(abstract, SHORT_ABSTRACT_MAX)
    return {
      title: title.segments,
      titleShortened: title.shortened,
      abstract,
      shortAbstract: short.segments,
      abstractShortened: short.shortened,
      authors: authorLine(paper.authors),
      url: paperUrl(paper),
    }
  })
  return {
    id: paper.id,
    rank,
    ...text,
    upvotes: paper.upvotes,
    why: [...new Set(reasons.map(groupTitle))],
    card: paperCard(paper),
    whyReasons: whyReasons(paper, reasons),
  }
}

const bestReason = (entry: Entry) => [...entry.reasons].sort(compareReasons)[0] as DigestReason

/** An entry and its place in the whole digest (1 = best). */
interface Ranked {
  readonly entry: Entry
  readonly rank: number
}

const ranks = (entries: readonly Entry[]): Ranked[] =>
  entries.map((entry, i) => ({ entry, rank: i + 1 }))

/** Groups papers under their best reason; groups come in the order of their best paper. */
function group(entries: readonly Ranked[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>()
  for (const { entry, rank } of entries) {
    const best = bestReason(entry)
    const key = groupKey(best)
    let found = groups.get(key)
    if (!found) {
      found = { title: groupTitle(best), key, papers: [] }
      groups.set(key, found)
    }
    found.papers.push(renderPaper(entry, rank))
  }
  return [...groups.values()]
}

/** Ranked entries in the order a page shows them: group after group, each by rank. */
function readingOrder(ranked: readonly Entry[]): Ranked[] {
  const groups = new Map<string, Ranked[]>()
  ranks(ranked).forEach((item) => {
    const key = groupKey(bestReason(item.entry))
    const found = groups.get(key)
    if (found) found.push(item)
    else groups.set(key, [item])
  })
  return [...groups.values()].flat()
}

/** Group names in the email's order, then those of groups only on the web view. */
function groupNames(entries: readonly Entry[]): string[] {
  const names = new Map<string, string>()
  for (const entry of entries) {
    const best = bestReason(entry)
    if (!names.has(groupKey(best))) names.set(groupKey(best), groupTitle(best))
  }
  return [...names.values()]
}

/**
 * Composes one subscriber's digest from their undelivered matches and the day's trending papers.
 * Each paper appears once, in the group of its best reason (see compareReasons), with every word
 * that any of its reasons matched highlighted. At most `limit` papers go in the email: the best
 * matches, with up to TRENDING_FLOOR places kept for trending papers that matched nothing else.
 * Pass `limit: Infinity` for the web view, which lists every paper.
 */
export function composeDigest(input: {
  items: DigestItem[]
  trending: DigestPaper[]
  limit?: number
}): ComposedDigest {
  const limit = input.limit ?? DEFAULT_DIGEST_LIMIT
  if (!(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 0))) {
    throw new RangeError(`limit must be a whole number ≥ 0 or Infinity, got ${limit}`)
  }
  const ranked = collect(input.items, input.trending).sort(compareEntries)
  // Trending-only papers rank after every match (they matched zero interests), so the split is a prefix.
  const matched = ranked.filter((e) => matchCount(e) > 0)
  const trendingOnly = ranked.filter((e) => matchCount(e) === 0)
  const room = budget(matched.length, trendingOnly.length, limit)
  const shown = [...matched.slice(0, room.matched), ...trendingOnly.slice(0, room.trendingOnly)]
  const rest = ranked.filter((e) => !shown.includes(e))
  return {
    // The subject is about the whole digest, so it also names groups left for the web view.
    subject: digestSubject(ranked.length, groupNames([...shown, ...rest])),
    total: ranked.length,
    groups: group(ranks(shown)),
    overflow: ranked.length - shown.length,
  }
}

/** Papers per page of a digest's web view: a 25,000-paper digest must not be one 60 MB page. */
export const DIGEST_PAGE_SIZE = 100

export interface DigestPage {
  /** This page's papers only (`overflow` counts the others); `total` and `subject` are the whole digest's. */
  readonly digest: ComposedDigest
  /** At least 1: an empty digest has one, empty, page. */
  readonly pageCount: number
  /** Whether the page's first group began on the page before. */
  readonly continuesGroup: boolean
}

/**
 * One page of the web view, which lists every paper: group after group (as `composeDigest`
 * with `limit: Infinity` shows them), `size` papers a page. Only that page's papers are
 * rendered. A page past the last is empty; `pageCount` says where the last is.
 */
export function composeDigestPage(
  input: { items: DigestItem[]; trending: DigestPaper[] },
  page: number,
  size = DIGEST_PAGE_SIZE,
): DigestPage {
  if (!Number.isInteger(page) || page < 1) throw new RangeError(`page must be ≥ 1, got ${page}`)
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be ≥ 1, got ${size}`)
  const ranked = collect(input.items, input.trending).sort(compareEntries)
  const order = readingOrder(ranked)
  const start = (page - 1) * size
  const shown = order.slice(start, start + size)
  const before = order[start - 1]
  const first = shown[0]
  return {
    digest: {
      subject: digestSubject(ranked.length, groupNames(ranked)),
      total: ranked.length,
      groups: group(shown),
      overflow: ranked.length - shown.length,
    },
    pageCount: Math.max(1, Math.ceil(order.length / size)),
    continuesGroup:
      before !== undefined &&
      first !== undefined &&
      groupKey(bestReason(before.entry)) === groupKey(bestReason(first.entry)),
  }
}

import { TRENDING } from '../seed-topics.js'
import type { DigestPaper, DigestReason } from './types.js'

/** One paper of a digest with every reason it is there, merged from all inputs. */
export interface Entry {
  readonly paper: DigestPaper
  readonly reasons: DigestReason[]
}

export function isTrending(reason: DigestReason): boolean {
  return reason.source.kind === 'topic' && reason.source.slug === TRENDING
}

/** Where a reason files a paper: one group per interest line, one per topic. */
export function groupKey(reason: DigestReason): string {
  return reason.source.kind === 'interest'
    ? `interest:${reason.source.line}`
    : `topic:${reason.source.slug}`
}

export function groupTitle(reason: DigestReason): string {
  return reason.source.kind === 'interest' ? reason.source.line : reason.source.name
}

/**
 * How many of the subscriber's interests and topics matched. Trending is not a match on what
 * the paper is about, so it does not count: it only puts a paper in the digest.
 */
export function matchCount(entry: Entry): number {
  return new Set(entry.reasons.filter((r) => !isTrending(r)).map(groupKey)).size
}

const when = (p: DigestPaper) => (p.publishedAt ?? p.firstSeenAt).getTime()

/**
 * Best first: more matched interests, then more upvotes (none counts as zero), then newer
 * (publication date, or when Paperboy first saw it), then id so that equal papers keep one order.
 */
export function compareEntries(a: Entry, b: Entry): number {
  return (
    matchCount(b) - matchCount(a) ||
    (b.paper.upvotes ?? 0) - (a.paper.upvotes ?? 0) ||
    when(b.paper) - when(a.paper) ||
    b.paper.firstSeenAt.getTime() - a.paper.firstSeenAt.getTime() ||
    (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0)
  )
}

const distinctWords = (r: DigestReason) => new Set(r.words.map((w) => w.toLowerCase())).size

/**
 * Orders one paper's reasons, best first; the first decides the paper's group. The subscriber's
 * own interest lines come before curated topics (they are more specific, and they wrote them),
 * trending comes last (it says nothing about the content), then more distinct matched words
 * (stronger evidence), then the group key so the choice never depends on input order.
 */
export function compareReasons(a: DigestReason, b: DigestReason): number {
  const tier = (r: DigestReason) => (r.source.kind === 'interest' ? 0 : isTrending(r) ? 2 : 1)
  const ka = groupKey(a)
  const kb = groupKey(b)
  return (
    tier(a) - tier(b) || distinctWords(b) - distinctWords(a) || (ka < kb ? -1 : ka > kb ? 1 : 0)
  )
}

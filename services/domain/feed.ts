// A subscriber's personal feed: the papers their digests carried, newest first, each with why
// it is there. Pure: what the feed says; the formats (Atom, RSS, JSON Feed) are written in
// services/feed/.

import { ELLIPSIS, highlight, shorten } from './digest/highlight.js'
import { compareReasons, groupKey, groupTitle } from './digest/rank.js'
import type { DigestReason } from './digest/types.js'
import { httpUrlOrNull } from './digest.js'
import { arxivAbsUrl, isArxivId } from './papers/ids.js'

export const FEED_FORMATS = ['atom', 'rss', 'json'] as const
export type FeedFormat = (typeof FEED_FORMATS)[number]

export function isFeedFormat(value: string): value is FeedFormat {
  return (FEED_FORMATS as readonly string[]).includes(value)
}

/** Readers poll the whole feed every time: the newest hundred papers are plenty to catch up on. */
export const FEED_ITEM_LIMIT = 100
/** About a paragraph: enough to decide whether to open the paper. */
export const FEED_EXCERPT_MAX = 500
/** Physics papers can list thousands of authors; a feed item names the first few. */
export const FEED_AUTHORS_SHOWN = 10

/** A paper a digest carried, with why and when it reached the subscriber. */
export interface DeliveredMatch {
  readonly paper: {
    readonly id: string
    readonly title: string
    readonly abstract: string
    readonly authors: readonly string[]
    readonly url: string | null
    readonly publishedAt: Date | null
  }
  readonly reasons: readonly DigestReason[]
  /** When the digest that carried it went out. */
  readonly deliveredAt: Date
}

/** One interest line or topic that matched, and the words it matched. */
export interface FeedReason {
  readonly kind: 'interest' | 'topic'
  /** The interest line as written, or the topic's name. */
  readonly label: string
  readonly words: readonly string[]
}

export interface FeedItem {
  /** The paper's id (an arXiv id when it has one). */
  readonly paperId: string
  readonly title: string
  /** An http(s) link to the paper, or null when there is none to give. */
  readonly url: string | null
  readonly authors: readonly string[]
  /** How many authors are not in `authors`. */
  readonly moreAuthors: number
  /** The start of the abstract, cut at a word, with an ellipsis when cut. */
  readonly excerpt: string
  /** When the paper itself was published, when the source said. */
  readonly paperPublishedAt: Date | null
  /** When it reached the subscriber: the item's date in every format. */
  readonly deliveredAt: Date
  /** Best first, as the digest orders them; one per interest line or topic. */
  readonly reasons: readonly FeedReason[]
  /** "agent* (agents, agentic) · Trending": the reasons as one line. */
  readonly why: string
}

export interface PersonalFeed {
  readonly items: readonly FeedItem[]
  /** The newest delivery, or `since` for a feed with nothing in it yet. */
  readonly updatedAt: Date
}

/**
 * The feed of these delivered matches, newest delivery first. `since` dates a feed with no
 * items (when the subscription began): a feed must say when it last changed, and saying "now"
 * would make every poll look like a change.
 */
export function composeFeed(matches: readonly DeliveredMatch[], since: Date): PersonalFeed {
  const items = [...matches]
    .sort(
      (a, b) =>
        b.deliveredAt.getTime() - a.deliveredAt.getTime() ||
        (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
    )
    .slice(0, FEED_ITEM_LIMIT)
    .map(feedItem)
  return { items, updatedAt: items[0]?.deliveredAt ?? since }
}

function feedItem(match: DeliveredMatch): FeedItem {
  const { paper } = match
  const reasons = feedReasons(match.reasons)
  const authors = paper.authors.map((a) => a.replace(/\s+/gu, ' ').trim()).filter((a) => a !== '')
  return {
    paperId: paper.id,
    title: paper.title,
    url: httpUrlOrNull(paper.url) ?? (isArxivId(paper.id) ? arxivAbsUrl(paper.id) : null),
    authors: authors.slice(0, FEED_AUTHORS_SHOWN),
    moreAuthors: Math.max(0, authors.length - FEED_AUTHORS_SHOWN),
    excerpt: excerpt(paper.abstract),
    paperPublishedAt: paper.publishedAt,
    deliveredAt: match.deliveredAt,
    reasons,
    why: reasons
      .map((r) => (r.words.length > 0 ? `${r.label} (${r.words.join(', ')})` : r.label))
      .join(' · '),
  }
}

/** One reason per interest line or topic, best first, with the words of each once. */
function feedReasons(reasons: readonly DigestReason[]): FeedReason[] {
  const byKey = new Map<string, { kind: FeedReason['kind']; label: string; words: string[] }>()
  for (const reason of [...reasons].sort(compareReasons)) {
    const key = groupKey(reason)
    const found = byKey.get(key)
    const words = found?.words ?? []
    for (const word of reason.words) {
      if (!words.some((w) => w.toLowerCase() === word.toLowerCase())) words.push(word)
    }
    if (!found) byKey.set(key, { kind: reason.source.kind, label: groupTitle(reason), words })
  }
  return [...byKey.values()]
}

function excerpt(abstract: string): string {
  const short = shorten(highlight(abstract, []), FEED_EXCERPT_MAX)
  const text = short.segments.map((s) => s.text).join('')
  return short.shortened ? `${text}${ELLIPSIS}` : text
}

/** "Ada Lovelace, Alan Turing and 3 others": the shown authors, and how many are not. */
export function authorLine(item: Pick<FeedItem, 'authors' | 'moreAuthors'>): string {
  const more = item.moreAuthors
  const names = item.authors.join(', ')
  return more > 0 ? `${names} and ${more} other${more === 1 ? '' : 's'}` : names
}

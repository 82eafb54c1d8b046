import type { IncomingPaper, SourceName } from './incoming.js'

/** A paper as stored: the merge of everything every source said about it. */
export interface StoredPaper {
  readonly id: string
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
  readonly publishedAt: Date | null
  readonly sourceUpdatedAt: Date | null
  readonly url: string | null
  readonly upvotes: number | null
  readonly organization: string | null
  readonly thumbnailUrl: string | null
  readonly aiKeywords: readonly string[]
  readonly aiSummary: string | null
  readonly version: number | null
  readonly sources: readonly SourceName[]
}

export function fromIncoming(p: IncomingPaper): StoredPaper {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: unique(p.categories),
    publishedAt: p.publishedAt,
    sourceUpdatedAt: p.updatedAt,
    url: p.url,
    upvotes: p.upvotes,
    organization: p.organization,
    thumbnailUrl: p.thumbnailUrl,
    aiKeywords: p.aiKeywords,
    aiSummary: p.aiSummary,
    version: p.version,
    sources: [p.source],
  }
}

/**
 * Folds what one source says into what is stored. Each source is trusted for what it knows
 * best: Hugging Face for upvotes, organisation, thumbnail and AI keywords; arXiv for categories and
 * versions. Text follows the newest version seen; an older version never overwrites a newer
 * one. A field a source does not give (null, empty) never erases a known value.
 */
export function mergePaper(stored: StoredPaper, incoming: IncomingPaper): StoredPaper {
  const olderVersion =
    incoming.version !== null && stored.version !== null && incoming.version < stored.version
  const takeText = !olderVersion
  return {
    id: stored.id,
    title: takeText && incoming.title ? incoming.title : stored.title,
    abstract: takeText && incoming.abstract ? incoming.abstract : stored.abstract,
    authors: takeText && incoming.authors.length > 0 ? incoming.authors : stored.authors,
    categories: unique([...stored.categories, ...incoming.categories]),
    publishedAt: earliest(stored.publishedAt, incoming.publishedAt),
    sourceUpdatedAt: latest(stored.sourceUpdatedAt, incoming.updatedAt),
    url: stored.url ?? incoming.url,
    upvotes: incoming.upvotes ?? stored.upvotes,
    organization: incoming.organization ?? stored.organization,
    thumbnailUrl: incoming.thumbnailUrl ?? stored.thumbnailUrl,
    aiKeywords: incoming.aiKeywords.length > 0 ? incoming.aiKeywords : stored.aiKeywords,
    aiSummary: incoming.aiSummary ?? stored.aiSummary,
    version: maxOrNull(stored.version, incoming.version),
    sources: unique([...stored.sources, incoming.source]),
  }
}

export function samePaper(a: StoredPaper, b: StoredPaper): boolean {
  return (
    a.title === b.title &&
    a.abstract === b.abstract &&
    sameList(a.authors, b.authors) &&
    sameList(a.categories, b.categories) &&
    sameTime(a.publishedAt, b.publishedAt) &&
    sameTime(a.sourceUpdatedAt, b.sourceUpdatedAt) &&
    a.url === b.url &&
    a.upvotes === b.upvotes &&
    a.organization === b.organization &&
    a.thumbnailUrl === b.thumbnailUrl &&
    sameList(a.aiKeywords, b.aiKeywords) &&
    a.aiSummary === b.aiSummary &&
    a.version === b.version &&
    sameList(a.sources, b.sources)
  )
}

export interface IngestPlan {
  /** First seen now; `deliver` is false for backfills and for replacements of papers announced before. */
  readonly inserts: readonly { paper: StoredPaper; deliver: boolean }[]
  readonly updates: readonly StoredPaper[]
  readonly unchanged: readonly string[]
}

/** Decides, for one batch, which papers are new, which changed and which are as stored. */
export function planIngest(
  stored: ReadonlyMap<string, StoredPaper>,
  batch: readonly IncomingPaper[],
  options: { deliver: boolean },
): IngestPlan {
  const inserts: { paper: StoredPaper; deliver: boolean }[] = []
  const updates: StoredPaper[] = []
  const unchanged: string[] = []
  for (const incoming of batch) {
    const existing = stored.get(incoming.id)
    if (!existing) {
      const replacement =
        incoming.announceType === 'replace' || incoming.announceType === 'replace-cross'
      inserts.push({ paper: fromIncoming(incoming), deliver: options.deliver && !replacement })
      continue
    }
    const merged = mergePaper(existing, incoming)
    if (samePaper(existing, merged)) unchanged.push(incoming.id)
    else updates.push(merged)
  }
  return { inserts, updates, unchanged }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i])
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return a === b || (a !== null && b !== null && a.getTime() === b.getTime())
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b
  return a.getTime() <= b.getTime() ? a : b
}

function latest(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b
  return a.getTime() >= b.getTime() ? a : b
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null || b === null) return a ?? b
  return Math.max(a, b)
}

/** Which parser produced a paper; also the `--source` names of `paperboy ingest`. */
export type SourceName = 'hf-daily' | 'arxiv' | 'arxiv-rss' | 'json'

/**
 * How arXiv RSS announced an item. `replace` and `replace-cross` are new versions of a paper
 * that was announced before: callers update metadata and must never deliver them as new.
 */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross'

/** A paper as one source describes it, already cleaned and validated, before storage. */
export interface IncomingPaper {
  /** Stable key: the arXiv id without version where there is one. */
  id: string
  title: string
  abstract: string
  authors: string[]
  /** arXiv categories; the primary category first when the source says which it is. */
  categories: string[]
  /** null = the source does not say; callers should not overwrite a known value with it. */
  publishedAt: Date | null
  updatedAt: Date | null
  url: string | null
  upvotes: number | null
  organization: string | null
  /** An https image of the paper, for digest cards; null when the source has none. */
  thumbnailUrl: string | null
  aiKeywords: string[]
  aiSummary: string | null
  version: number | null
  source: SourceName
  announceType?: AnnounceType
}

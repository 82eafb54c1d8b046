/** Why a topic matched a paper: one of its lines, and what that line matched. */
export interface TopicReason {
  /** The topic's line, as the operator wrote it. */
  line: string
  /** What matched, as evaluate() reports it; shared with other matches of the same query. */
  words: readonly string[]
}

/** A topic the paper matched: every follower of the topic is matched by these reasons. */
export interface TopicMatch {
  slug: string
  /** In the order of the topic's lines. */
  reasons: TopicReason[]
}

/** A subscriber's own interest line the paper matches, shared by everyone who wrote it. */
export interface LineMatch {
  /** The line as the subscribers wrote it. */
  line: string
  words: readonly string[]
}

/**
 * A paper's matches without expanding them to subscribers: one line or topic can match
 * hundreds of thousands of them, and they are a join away in the database.
 */
export interface LineMatches {
  lines: LineMatch[]
  topics: TopicMatch[]
}

/** A distinct query the paper matches, however many lines and topics share it. */
export interface QueryMatch {
  /** The query's canonical text (printQuery). */
  query: string
  words: readonly string[]
}

export interface PercolatorPaper {
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
}

export interface PercolatorStats {
  /** Distinct interest lines indexed as someone's own (topic lines are not counted). */
  lines: number
  /** Distinct queries (by canonical text) that are indexed. */
  queries: number
  /** Entries in the inverted index: one per indexed alternative of a distinct query. */
  postings: number
}

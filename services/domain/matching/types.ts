/** Where a reason came from: one of the subscriber's own interests, or a line of a topic. */
export type InterestSource =
  | { kind: 'interest'; interestId: number; line: string }
  | { kind: 'topic'; slug: string; line: string }

export interface InterestRef {
  subscriberId: number
  source: InterestSource
}

export interface MatchReason {
  source: InterestSource
  /** What matched, as evaluate() reports it. */
  words: string[]
}

/**
 * One subscriber matched by one paper: one entry however many interests matched. Reason
 * objects, their `words`, and the `reasons` array of a subscriber matched only by topics are
 * shared between subscribers (a topic can have a million followers): treat them as read-only.
 */
export interface PaperMatch {
  subscriberId: number
  reasons: MatchReason[]
}

/** A topic the paper matched: every follower of the topic is matched by these reasons. */
export interface TopicMatch {
  slug: string
  reasons: MatchReason[]
  /** How many subscribers follow the topic (with these lines). */
  followers: number
}

/** A subscriber's own interest line the paper matches, shared by everyone who wrote it. */
export interface LineMatch {
  /** The line as the subscribers wrote it. */
  line: string
  words: string[]
}

/**
 * A paper's matches without expanding them to subscribers: one line or topic can match
 * hundreds of thousands of them, and they are a join away in the database.
 */
export interface LineMatches {
  lines: LineMatch[]
  topics: TopicMatch[]
}

/** A distinct query the paper matches, however many subscribers and topics share it. */
export interface QueryMatch {
  /** The query's canonical text (printQuery). */
  query: string
  words: string[]
}

export interface PercolatorPaper {
  readonly title: string
  readonly abstract: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
}

export interface PercolatorStats {
  /** Subscribers with at least one interest or topic line. */
  subscribers: number
  /** Distinct queries (by canonical text) that are indexed. */
  queries: number
  /** Entries in the inverted index: one per indexed alternative of a distinct query. */
  postings: number
}

import { type AnalyzedPaper, analyzePaper } from '../query/index.js'
import { MatchedQueries, matchingQueries } from './candidates.js'
import { guessFrequency, type KeyFrequency } from './frequency.js'
import { KeyWordsCache } from './key-words.js'
import { KeyIndex } from './keys.js'
import { QUERY_STRIDE, type QueryRecord, QueryTable, SOLE_LINE } from './queries.js'
import { TopicGroups } from './topics.js'
import type {
  LineMatch,
  LineMatches,
  PercolatorPaper,
  PercolatorStats,
  QueryMatch,
} from './types.js'

export interface PercolatorOptions {
  /** Estimated share of papers having a key; see sampleFrequency(). Default: guessFrequency. */
  readonly frequency?: KeyFrequency
}

/**
 * Matches papers against every subscriber's interests without looping over subscribers, or
 * even holding them: it indexes each distinct interest line once, however many subscribers
 * wrote it, and each topic's lines once, however many follow it; who has a line is a join
 * away in the database. Lines that print the same share one query. Queries are indexed under
 * the rarest key of each of their alternatives; a paper stamps the keys it has, the postings
 * of those keys give candidate alternatives, and an alternative whose other keys are all
 * stamped is verified once against the query.
 */
export class Percolator {
  private readonly keys = new KeyIndex()
  private readonly queries: QueryTable
  private readonly topics: TopicGroups
  private stamp = 0
  private readonly keyWords = new KeyWordsCache()
  private readonly found = new MatchedQueries()

  constructor(options: PercolatorOptions = {}) {
    this.queries = new QueryTable(this.keys, options.frequency ?? guessFrequency)
    this.topics = new TopicGroups(this.queries)
  }

  /**
   * Indexes a line that is some subscriber's own interest; adding it again changes nothing.
   * Returns false for a line that does not parse (lines are validated when saved, so such a
   * line can only come from outside the application; it could match nothing).
   */
  addLine(line: string): boolean {
    return this.queries.addOwnLine(line)
  }

  /** Indexes a topic's lines, replacing those it had; no lines removes the topic. */
  setTopic(slug: string, lines: readonly string[]): void {
    this.topics.set(slug, lines)
  }

  /**
   * What the worker stores: the added lines the paper matches, each once, as written, and
   * the topics it matches, each once, with the lines that matched.
   */
  matchLines(paper: PercolatorPaper): LineMatches {
    const { ids, words } = this.matching(analyzePaper(paper))
    const lines: LineMatch[] = []
    const lineText = this.queries.lineText
    const perQuery = this.queries.perQuery.data
    // Matches with more to report than one line (several lines, or topic lines) are looked up
    // in their records.
    const shared: number[] = []
    for (let i = 0; i < ids.length; i++) {
      const sole = perQuery[(ids[i] as number) * QUERY_STRIDE + SOLE_LINE] as number
      if (sole >= 0) lines.push({ line: lineText[sole] as string, words: words[i] as string[] })
      else shared.push(i)
    }
    const records = this.queries.records
    for (const i of shared) {
      const record = records[ids[i] as number] as QueryRecord
      for (const id of record.ownLines) {
        lines.push({ line: lineText[id] as string, words: words[i] as string[] })
      }
    }
    return { lines, topics: this.topics.matched(this.found, shared) }
  }

  /** The distinct queries the paper matches, added lines and topic lines alike. */
  matchQueries(paper: PercolatorPaper): QueryMatch[] {
    const { ids, words } = this.matching(analyzePaper(paper))
    const records = this.queries.records
    return ids.map((id, i) => ({
      query: (records[id] as QueryRecord).canonical,
      words: words[i] as string[],
    }))
  }

  stats(): PercolatorStats {
    return {
      lines: this.queries.ownLineCount,
      queries: this.queries.queryCount,
      postings: this.keys.postingCount,
    }
  }

  /** The queries the paper matches, in columns that the next paper reuses. */
  private matching(paper: AnalyzedPaper): MatchedQueries {
    if (this.stamp === 0x7fffffff) {
      // After 2³¹ papers stamps would repeat; start again from clean scratch arrays.
      this.stamp = 0
      this.keys.stamp.data.fill(0)
      this.queries.resetVerified()
      this.keyWords.reset()
    }
    const stamp = ++this.stamp
    const found = this.found
    matchingQueries(this.keys, this.queries, paper, stamp, this.keyWords, found)
    return found
  }
}

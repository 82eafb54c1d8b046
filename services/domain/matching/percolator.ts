import { type AnalyzedPaper, analyzePaper } from '../query/index.js'
import { type MatchedQuery, matchingQueries } from './candidates.js'
import { SlotChains } from './chains.js'
import { IdAllocator, IdMap, IntColumn } from './columns.js'
import { expandTopics, InterestMatches, SlotScratch, topicReasons } from './fan-out.js'
import { guessFrequency, type KeyFrequency } from './frequency.js'
import { KeyWordsCache } from './key-words.js'
import { KeyIndex } from './keys.js'
import { type QueryRecord, QueryTable } from './queries.js'
import { TopicGroups } from './topics.js'
import type {
  InterestSource,
  LineMatch,
  LineMatches,
  PaperMatch,
  PercolatorPaper,
  PercolatorStats,
  QueryMatch,
  TopicMatch,
} from './types.js'

export interface PercolatorOptions {
  /** Estimated share of papers having a key; see sampleFrequency(). Default: guessFrequency. */
  readonly frequency?: KeyFrequency
}

/** Chain owners below -1 are topic groups; -1 itself means "none". */
const groupOwner = (group: number): number => -2 - group

/**
 * Matches papers against every subscriber's interests without looping over subscribers.
 * Distinct queries are indexed under the rarest key of each of their alternatives; a paper
 * stamps the keys it has, the postings of those keys give candidate alternatives, an
 * alternative whose other keys are all stamped is verified against the query's AST once
 * (however many subscribers share it), and only then fanned out to its subscribers and topics.
 */
export class Percolator {
  private readonly keys = new KeyIndex()
  private readonly queries: QueryTable
  private readonly topics: TopicGroups
  private readonly chains = new SlotChains()
  /** Subscribers live in dense slots so that per-paper scratch state is arrays, not maps. */
  private readonly slots = new IdMap()
  private readonly slotIds = new IdAllocator()
  private stamp = 0
  /** Per distinct query, the last paper it was verified against. */
  private readonly queryStamp = new IntColumn(1024, 0)
  private readonly scratch = new SlotScratch()
  private readonly keyWords = new KeyWordsCache()
  private readonly interests = new InterestMatches()

  constructor(options: PercolatorOptions = {}) {
    this.queries = new QueryTable(this.keys, options.frequency ?? guessFrequency)
    this.topics = new TopicGroups(this.queries)
  }

  /** Adds a subscriber or replaces all of its interests and topic lines. */
  setSubscriber(subscriberId: number, interests: readonly InterestSource[]): void {
    let slot = this.slots.get(subscriberId)
    if (slot === undefined) {
      slot = this.slotIds.take()
      this.slots.set(subscriberId, slot)
    }
    // The new entries go in before the old are dropped, so shared lines survive a replace.
    const old = this.chains.take(slot)
    // A few topics at most: a list beats a Map per call, a million calls in a build.
    const topics: { slug: string; lines: string[] }[] = []
    for (const source of interests) {
      if (source.kind === 'topic') {
        const topic = topics.find((t) => t.slug === source.slug)
        if (topic === undefined) topics.push({ slug: source.slug, lines: [source.line] })
        else topic.lines.push(source.line)
        continue
      }
      const lineId = this.queries.acquireOwnLine(source.line)
      if (lineId === undefined) continue
      const queryId = this.queries.lineQuery.get(lineId)
      const owners = (this.queries.records[queryId] as QueryRecord).owners
      const at = owners.append()
      const entry = this.chains.add(slot, queryId, at)
      const record = owners.data
      record[at] = slot
      record[at + 1] = subscriberId
      record[at + 2] = lineId
      record[at + 3] = source.interestId
      record[at + 4] = entry
    }
    for (const { slug, lines } of topics) {
      const group = this.topics.acquire(slug, lines)
      const members = this.topics.members(group)
      const at = members.append()
      const entry = this.chains.add(slot, groupOwner(group), at)
      const record = members.data
      record[at] = slot
      record[at + 1] = subscriberId
      record[at + 2] = entry
    }
    this.drop(old)
    if (this.chains.isEmpty(slot)) this.freeSlot(subscriberId, slot)
  }

  removeSubscriber(subscriberId: number): void {
    const slot = this.slots.get(subscriberId)
    if (slot === undefined) return
    this.drop(this.chains.take(slot))
    this.freeSlot(subscriberId, slot)
  }

  /** Every subscriber the paper matches, once each, with every interest that matched. */
  match(paper: PercolatorPaper): PaperMatch[] {
    const matched = this.matching(analyzePaper(paper), this.nextStamp())
    this.scratch.next(this.slotIds.high)
    this.interests.collect(matched, this.scratch, this.queries.lineText)
    const out = this.interests.toPaperMatches()
    const topics = topicReasons(matched, this.topics)
    expandTopics(out, topics, this.scratch, (group) => this.topics.groups[group]?.members)
    return out
  }

  /**
   * What the worker stores: the subscribers' own interest lines the paper matches, each
   * distinct line once however many subscribers wrote it, and the topics it matches, each
   * once however many follow it. Subscribers are a join away in the database.
   */
  matchLines(paper: PercolatorPaper): LineMatches {
    const matched = this.matching(analyzePaper(paper), this.nextStamp())
    const lines: LineMatch[] = []
    const lineText = this.queries.lineText
    for (const { record, words } of matched) {
      for (const id of record.ownLines) lines.push({ line: lineText[id] as string, words })
    }
    const topics: TopicMatch[] = []
    for (const [group, reasons] of topicReasons(matched, this.topics)) {
      const slug = this.topics.groups[group]?.slug as string
      topics.push({ slug, reasons, followers: this.topics.followers(group) })
    }
    return { lines, topics }
  }

  /**
   * The distinct queries the paper matches, before any fan-out to subscribers or topics: the
   * matching itself, for callers that store matches per query.
   */
  matchQueries(paper: PercolatorPaper): QueryMatch[] {
    const matched = this.matching(analyzePaper(paper), this.nextStamp())
    return matched.map(({ record, words }) => ({ query: record.canonical, words }))
  }

  stats(): PercolatorStats {
    return {
      subscribers: this.slots.size,
      queries: this.queries.queryCount,
      postings: this.keys.postingCount,
    }
  }

  private drop(chain: number): void {
    this.chains.drop(chain, (entry) => {
      const owner = this.chains.ownerOf(entry)
      const index = this.chains.indexOf(entry)
      if (owner >= 0) {
        const owners = (this.queries.records[owner] as QueryRecord).owners
        const lineId = owners.data[index + 2] as number
        owners.remove(index, this.chains)
        this.queries.releaseOwnLine(lineId)
      } else {
        const group = groupOwner(owner)
        this.topics.members(group).remove(index, this.chains)
        this.topics.releaseIfEmpty(group)
      }
    })
  }

  private freeSlot(subscriberId: number, slot: number): void {
    this.slots.delete(subscriberId)
    this.slotIds.give(slot)
  }

  private nextStamp(): number {
    if (this.stamp === 0x7fffffff) {
      // After 2³¹ papers stamps would repeat; start again from clean scratch arrays.
      this.stamp = 0
      this.keys.stamp.data.fill(0)
      this.queryStamp.data.fill(0)
      this.keyWords.reset()
    }
    return ++this.stamp
  }

  private matching(paper: AnalyzedPaper, stamp: number): MatchedQuery[] {
    return matchingQueries(this.keys, this.queries, this.queryStamp, paper, stamp, this.keyWords)
  }
}

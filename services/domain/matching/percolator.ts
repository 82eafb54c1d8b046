import { type AnalyzedPaper, analyzePaper, evaluate } from '../query/index.js'
import { type PackedRecords, SlotChains } from './chains.js'
import { FloatColumn, IdAllocator, IntColumn } from './columns.js'
import { guessFrequency, type KeyFrequency } from './frequency.js'
import { KeyIndex } from './keys.js'
import { OWNER_STRIDE, type QueryRecord, QueryTable } from './queries.js'
import { MEMBER_STRIDE, TopicGroups } from './topics.js'
import type {
  GroupedMatches,
  InterestSource,
  MatchReason,
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

interface Percolation {
  readonly stamp: number
  /** Subscribers matched by their own interests. */
  readonly matches: PaperMatch[]
  /** Topic group → its reasons, in the order of the topic's lines. */
  readonly topics: Map<number, MatchReason[]>
}

interface MatchedQuery {
  readonly record: QueryRecord
  readonly words: string[]
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
  private readonly slots = new Map<number, number>()
  private readonly slotIds = new IdAllocator()
  private stamp = 0
  private readonly queryStamp = new IntColumn(1024, 0)
  /**
   * Per slot, for the paper being matched: [stamp, index in the output, stamp if its reasons
   * array is shared with a topic], side by side so that one cache line serves a subscriber.
   */
  private readonly slotState = new IntColumn(3 * 1024, 0)

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
      const lineId = this.queries.acquireLine(source.line)
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
      const members = this.topics.groups[group]?.members as PackedRecords
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
    const percolation = this.percolate(paper)
    this.expandTopics(percolation)
    return percolation.matches
  }

  /** The same matches, with topics reported once each instead of once per follower. */
  matchGrouped(paper: PercolatorPaper): GroupedMatches {
    const { matches, topics } = this.percolate(paper)
    const grouped: TopicMatch[] = []
    for (const [group, reasons] of topics) {
      const slug = this.topics.groups[group]?.slug as string
      grouped.push({ slug, reasons, followers: this.topics.followers(group) })
    }
    return { interests: matches, topics: grouped }
  }

  /**
   * The distinct queries the paper matches, before any fan-out to subscribers or topics: the
   * matching itself, for callers that store matches per query.
   */
  matchQueries(paper: PercolatorPaper): QueryMatch[] {
    const analyzed = analyzePaper(paper)
    return this.matchingQueries(analyzed, this.nextStamp()).map(({ record, words }) => ({
      query: record.canonical,
      words,
    }))
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
        this.queries.releaseLine(lineId)
      } else {
        const group = groupOwner(owner)
        ;(this.topics.groups[group]?.members as PackedRecords).remove(index, this.chains)
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
      this.slotState.data.fill(0)
    }
    return ++this.stamp
  }

  /** Matches a paper: own interests expanded per subscriber, topics per topic group. */
  private percolate(paper: PercolatorPaper): Percolation {
    const analyzed = analyzePaper(paper)
    const stamp = this.nextStamp()
    const matched = this.matchingQueries(analyzed, stamp)
    this.slotState.ensure(3 * this.slotIds.high)
    const state = this.slotState.data
    const lineText = this.queries.lineText
    const out: PaperMatch[] = []
    const hits = new Map<number, { index: number; reason: MatchReason }[]>()
    for (const { record, words } of matched) {
      const owners = record.owners.data
      const end = record.owners.length
      for (let i = 0; i < end; i += OWNER_STRIDE) {
        const at = 3 * (owners[i] as number)
        const line = lineText[owners[i + 2] as number] as string
        const interestId = owners[i + 3] as number
        const reason: MatchReason = { source: { kind: 'interest', interestId, line }, words }
        if (state[at] === stamp) {
          ;(out[state[at + 1] as number] as PaperMatch).reasons.push(reason)
          continue
        }
        state[at] = stamp
        state[at + 1] = out.length
        out.push({ subscriberId: owners[i + 1] as number, reasons: [reason] })
      }
      const refs = record.topicRefs
      for (let i = 0; i < refs.length; i += 2) {
        const group = refs[i] as number
        const index = refs[i + 1] as number
        const source = this.topics.groups[group]?.sources[index]
        if (source === undefined) continue
        const hit = { index, reason: { source, words } }
        const list = hits.get(group)
        if (list === undefined) hits.set(group, [hit])
        else list.push(hit)
      }
    }
    const topics = new Map<number, MatchReason[]>()
    for (const [group, list] of hits) {
      topics.set(
        group,
        list.sort((a, b) => a.index - b.index).map((h) => h.reason),
      )
    }
    return { stamp, matches: out, topics }
  }

  /**
   * Adds each topic's reasons to each follower. Followers matched by nothing else share the
   * topic's reasons array (one object per follower instead of two: a topic can have a million
   * followers); it is copied before anything is added to it.
   */
  private expandTopics({ stamp, matches: out, topics }: Percolation): void {
    const state = this.slotState.data
    for (const [group, reasons] of topics) {
      const packed = this.topics.groups[group]?.members
      if (packed === undefined) continue
      const members = packed.data
      for (let i = 0; i < packed.length; i += MEMBER_STRIDE) {
        const at = 3 * (members[i] as number)
        if (state[at] !== stamp) {
          state[at] = stamp
          state[at + 1] = out.length
          state[at + 2] = stamp
          out.push({ subscriberId: members[i + 1] as number, reasons })
          continue
        }
        const match = out[state[at + 1] as number] as PaperMatch
        if (state[at + 2] === stamp) {
          match.reasons = match.reasons.concat(reasons)
          state[at + 2] = 0
        } else {
          for (const reason of reasons) match.reasons.push(reason)
        }
      }
    }
  }

  /**
   * The distinct queries the paper matches, with what matched. A candidate whose keys are all
   * present is verified with evaluate() alone: most of them match, and for those
   * matches()+evaluate() would run the AST twice.
   */
  private matchingQueries(paper: AnalyzedPaper, stamp: number): MatchedQuery[] {
    const present: number[] = []
    this.keys.markPaper(paper, stamp, present)
    this.queryStamp.ensure(this.queries.queryCapacity)
    const seen = this.queryStamp.data
    const marks = this.keys.stamp.data
    const records = this.queries.records
    const postings = this.keys.postings
    const found: MatchedQuery[] = []
    const verify = (record: QueryRecord): void => {
      const { matched, words } = evaluate(record.ast, paper)
      if (matched) found.push({ record, words })
    }
    for (const key of present) {
      const posting = postings[key]
      if (posting === undefined) continue
      for (let i = 0; i < posting.length; ) {
        const queryId = posting[i] as number
        let k = i + 2
        const end = k + (posting[i + 1] as number)
        i = end
        // The entry lists the alternative's other keys: all must be on the paper too.
        while (k < end && marks[posting[k] as number] === stamp) k++
        if (k < end || seen[queryId] === stamp) continue
        seen[queryId] = stamp
        verify(records[queryId] as QueryRecord)
      }
    }
    for (const queryId of this.queries.unindexed) {
      if (seen[queryId] === stamp) continue
      seen[queryId] = stamp
      verify(records[queryId] as QueryRecord)
    }
    return found
  }
}

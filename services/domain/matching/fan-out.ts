import type { MatchedQuery } from './candidates.js'
import type { PackedRecords } from './chains.js'
import { OWNER_STRIDE } from './queries.js'
import type { TopicGroups } from './topics.js'
import { MEMBER_STRIDE } from './topics.js'
import type { MatchReason, PaperMatch } from './types.js'

/**
 * Per subscriber slot, for the paper being matched: whether it is matched yet (`seen` holds
 * the paper's mark), its place among the paper's matches, and whether its reasons are a
 * topic's shared array. A paper meets tens of thousands of slots scattered over millions, so
 * the test every slot gets is one byte: the whole column stays in the processor's cache,
 * where three numbers per slot would not. Marks run 1…255, then the column is cleared.
 */
export class SlotScratch {
  seen = new Uint8Array(1024)
  index = new Int32Array(1024)
  shared = new Uint8Array(1024)
  mark = 0

  /** Makes room for `slots` slots and returns the mark of a new paper. */
  next(slots: number): number {
    if (slots > this.seen.length) {
      const size = Math.max(slots, 2 * this.seen.length)
      this.seen = new Uint8Array(size)
      this.index = new Int32Array(size)
      this.shared = new Uint8Array(size)
      this.mark = 0
    }
    if (this.mark === 255) {
      this.seen.fill(0)
      this.shared.fill(0)
      this.mark = 0
    }
    return ++this.mark
  }
}

/** A growable column of numbers, reused from paper to paper. */
class Growable<T extends Float64Array | Int32Array> {
  constructor(
    public data: T,
    private readonly make: (length: number) => T,
  ) {}

  /** Room for `length` numbers; what is there is kept. */
  reserve(length: number): T {
    if (length > this.data.length) {
      const grown = this.make(Math.max(length, this.data.length * 2))
      grown.set(this.data)
      this.data = grown
    }
    return this.data
  }
}

const floats = (n: number) => new Growable(new Float64Array(n), (m) => new Float64Array(m))
const ints = (n: number) => new Growable(new Int32Array(n), (m) => new Int32Array(m))

/**
 * Subscribers matched by their own interests, as columns: a paper can match hundreds of
 * thousands of subscribers, and two objects per match would be most of the cost of matching.
 * The columns are reused by the next paper: read them, or copy them with toPaperMatches(),
 * before matching again.
 */
export class InterestMatches {
  /** Matched subscribers, each once. */
  count = 0
  private readonly subscribers = floats(1024)
  /**
   * Per reason, which of the `count` subscribers it belongs to. Reasons come query by query,
   * each query's owners in order, so the rest of a reason is found from its position.
   */
  private readonly reasonSubscriber = ints(1024)
  /** Per matched query, its first reason; one more entry closes the last. */
  private readonly queryStart = ints(1024)
  private matched: readonly MatchedQuery[] = []
  private lineText: readonly (string | undefined)[] = []

  subscriberId(index: number): number {
    return this.subscribers.data[index] as number
  }

  /** Which of the `count` subscribers reason `r` belongs to. */
  subscriberOf(r: number): number {
    return this.reasonSubscriber.data[r] as number
  }

  /** One PaperMatch per subscriber, reasons in the order the queries matched. */
  toPaperMatches(): PaperMatch[] {
    const out: PaperMatch[] = []
    for (let i = 0; i < this.count; i++) {
      out.push({ subscriberId: this.subscriberId(i), reasons: [] })
    }
    const starts = this.queryStart.data
    for (let q = 0; q < this.matched.length; q++) {
      for (let r = starts[q] as number; r < (starts[q + 1] as number); r++) {
        const match = out[this.subscriberOf(r)] as PaperMatch
        match.reasons.push(this.reasonAt(q, r - (starts[q] as number)))
      }
    }
    return out
  }

  /**
   * Fills the columns from the queries a paper matched: each owner of each query is a reason;
   * `scratch` numbers each subscriber the first time the paper meets it. The owner records are
   * read again by toPaperMatches(): change no subscriber before it.
   */
  collect(
    matched: readonly MatchedQuery[],
    scratch: SlotScratch,
    lineText: readonly (string | undefined)[],
  ): void {
    this.matched = matched
    this.lineText = lineText
    const { seen, index: indexOf, mark } = scratch
    let total = 0
    for (const m of matched) total += m.record.owners.count
    const subscribers = this.subscribers.reserve(total)
    const reasonSubscriber = this.reasonSubscriber.reserve(total)
    const queryStart = this.queryStart.reserve(matched.length + 1)
    let count = 0
    let reasons = 0
    for (let q = 0; q < matched.length; q++) {
      queryStart[q] = reasons
      const packed = (matched[q] as MatchedQuery).record.owners
      const owners = packed.data
      const end = packed.length
      for (let i = 0; i < end; i += OWNER_STRIDE) {
        const slot = owners[i] as number
        let index: number
        if (seen[slot] !== mark) {
          seen[slot] = mark
          index = count++
          indexOf[slot] = index
          subscribers[index] = owners[i + 1] as number
        } else index = indexOf[slot] as number
        reasonSubscriber[reasons++] = index
      }
    }
    queryStart[matched.length] = reasons
    this.count = count
  }

  private reasonAt(q: number, owner: number): MatchReason {
    const { record, words } = this.matched[q] as MatchedQuery
    const at = owner * OWNER_STRIDE
    const line = this.lineText[record.owners.data[at + 2] as number] as string
    const interestId = record.owners.data[at + 3] as number
    return { source: { kind: 'interest', interestId, line }, words }
  }
}

/** Topic group → its reasons, in the order of the topic's lines. */
export function topicReasons(
  matched: readonly MatchedQuery[],
  topics: TopicGroups,
): Map<number, MatchReason[]> {
  const hits = new Map<number, { index: number; reason: MatchReason }[]>()
  for (const { record, words } of matched) {
    const refs = record.topicRefs
    for (let i = 0; i < refs.length; i += 2) {
      const group = refs[i] as number
      const index = refs[i + 1] as number
      const source = topics.groups[group]?.sources[index]
      if (source === undefined) continue
      const hit = { index, reason: { source, words } }
      const list = hits.get(group)
      if (list === undefined) hits.set(group, [hit])
      else list.push(hit)
    }
  }
  const byGroup = new Map<number, MatchReason[]>()
  for (const [group, list] of hits) {
    byGroup.set(
      group,
      list.sort((a, b) => a.index - b.index).map((h) => h.reason),
    )
  }
  return byGroup
}

/**
 * Adds each matched topic's reasons to each of its followers. A follower matched by nothing
 * else shares the topic's reasons array (one object per follower instead of two, and a
 * topic can have a million followers); it is copied before anything is added to it.
 */
export function expandTopics(
  out: PaperMatch[],
  topics: ReadonlyMap<number, MatchReason[]>,
  scratch: SlotScratch,
  membersOf: (group: number) => PackedRecords | undefined,
): void {
  const { seen, index: indexOf, shared, mark } = scratch
  for (const [group, reasons] of topics) {
    const packed = membersOf(group)
    if (packed === undefined) continue
    const members = packed.data
    for (let i = 0; i < packed.length; i += MEMBER_STRIDE) {
      const slot = members[i] as number
      if (seen[slot] !== mark) {
        seen[slot] = mark
        indexOf[slot] = out.length
        shared[slot] = mark
        out.push({ subscriberId: members[i + 1] as number, reasons })
        continue
      }
      const match = out[indexOf[slot] as number] as PaperMatch
      if (shared[slot] === mark) {
        match.reasons = match.reasons.concat(reasons)
        shared[slot] = 0
      } else {
        for (const reason of reasons) match.reasons.push(reason)
      }
    }
  }
}

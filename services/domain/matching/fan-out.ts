import type { MatchedQuery } from './candidates.js'
import type { PackedRecords } from './chains.js'
import { IntColumn } from './columns.js'
import { OWNER_STRIDE } from './queries.js'
import type { TopicGroups } from './topics.js'
import { MEMBER_STRIDE } from './topics.js'
import type { MatchReason, PaperMatch } from './types.js'

/**
 * Per subscriber slot, for the paper being matched: [stamp, index of its PaperMatch, stamp
 * if its reasons array is a topic's shared one], side by side so that one cache line serves
 * a subscriber. A stamp other than the paper's means "not matched yet": nothing to clear.
 */
export class SlotScratch {
  private readonly column = new IntColumn(3 * 1024, 0)

  prepare(slots: number): Int32Array {
    this.column.ensure(3 * slots)
    return this.column.data
  }

  reset(): void {
    this.column.data.fill(0)
  }
}

export interface OwnMatches {
  /** One per subscriber matched by its own interests, with all of them. */
  readonly matches: PaperMatch[]
  /** Topic group → its reasons, in the order of the topic's lines. */
  readonly topics: Map<number, MatchReason[]>
}

/** Fans matched queries out to the subscribers who wrote them; collects topic reasons. */
export function fanOutInterests(
  matched: readonly MatchedQuery[],
  state: Int32Array,
  stamp: number,
  lineText: readonly (string | undefined)[],
  topics: TopicGroups,
): OwnMatches {
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
  return { matches: out, topics: byGroup }
}

/**
 * Adds each matched topic's reasons to each of its followers. A follower matched by nothing
 * else shares the topic's reasons array (one object per follower instead of two, and a
 * topic can have a million followers); it is copied before anything is added to it.
 */
export function expandTopics(
  { matches: out, topics }: OwnMatches,
  state: Int32Array,
  stamp: number,
  membersOf: (group: number) => PackedRecords | undefined,
): void {
  for (const [group, reasons] of topics) {
    const packed = membersOf(group)
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

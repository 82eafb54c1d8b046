import { PackedRecords } from './chains.js'
import { IdAllocator } from './columns.js'
import type { QueryRecord, QueryTable } from './queries.js'
import type { InterestSource } from './types.js'

type TopicSource = Extract<InterestSource, { kind: 'topic' }>

export interface TopicGroup {
  readonly slug: string
  /** One source object per line, shared by every reason this line gives. */
  readonly sources: readonly TopicSource[]
  /** Per line, its id in the query table, or -1 for a line that does not parse. */
  readonly lineIds: readonly number[]
  /** Followers, MEMBER_STRIDE numbers each: slot, subscriber id, chain entry. */
  readonly members: PackedRecords
}

export const MEMBER_STRIDE = 3

/**
 * A topic's lines are indexed once, however many subscribers follow it: a subscriber is only
 * a member of the topic. A topic is identified by its slug and its lines, so a subscriber
 * loaded before an operator edited the topic keeps the lines it was loaded with until it is
 * set again, and the two versions coexist meanwhile.
 */
export class TopicGroups {
  readonly groups: (TopicGroup | undefined)[] = []
  /** Slug → its groups: one, or two while subscribers move to an edited version. */
  private readonly bySlug = new Map<string, number[]>()
  private readonly ids = new IdAllocator()

  constructor(private readonly queries: QueryTable) {}

  /** The group of this slug with exactly these lines, created when new; add members to it. */
  acquire(slug: string, lines: readonly string[]): number {
    const versions = this.bySlug.get(slug) ?? []
    for (const version of versions) if (this.hasLines(version, lines)) return version
    const id = this.ids.take()
    const lineIds = lines.map((line) => this.queries.acquireLine(line) ?? -1)
    lineIds.forEach((lineId, index) => {
      if (lineId >= 0) this.record(lineId).topicRefs.push(id, index)
    })
    const sources = lines.map((line): TopicSource => ({ kind: 'topic', slug, line }))
    this.groups[id] = { slug, sources, lineIds, members: new PackedRecords(MEMBER_STRIDE) }
    this.bySlug.set(slug, [...versions, id])
    return id
  }

  /** A live group's followers. */
  members(id: number): PackedRecords {
    return (this.groups[id] as TopicGroup).members
  }

  private hasLines(id: number, lines: readonly string[]): boolean {
    const sources = this.groups[id]?.sources ?? []
    if (sources.length !== lines.length) return false
    for (let i = 0; i < lines.length; i++) if (sources[i]?.line !== lines[i]) return false
    return true
  }

  followers(id: number): number {
    return this.groups[id]?.members.count ?? 0
  }

  /** Frees a group nobody follows any more (after its last member record was removed). */
  releaseIfEmpty(id: number): void {
    const group = this.groups[id] as TopicGroup
    if (group.members.length > 0) return
    group.lineIds.forEach((lineId, index) => {
      if (lineId < 0) return
      const refs = this.record(lineId).topicRefs
      for (let i = 0; i < refs.length; i += 2) {
        if (refs[i] !== id || refs[i + 1] !== index) continue
        refs.splice(i, 2)
        break
      }
      this.queries.releaseLine(lineId)
    })
    const others = (this.bySlug.get(group.slug) ?? []).filter((other) => other !== id)
    if (others.length > 0) this.bySlug.set(group.slug, others)
    else this.bySlug.delete(group.slug)
    this.groups[id] = undefined
    this.ids.give(id)
  }

  private record(lineId: number): QueryRecord {
    return this.queries.records[this.queries.lineQuery.get(lineId)] as QueryRecord
  }
}

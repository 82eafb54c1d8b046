import type { MatchedQueries } from './candidates.js'
import { IdAllocator } from './columns.js'
import type { QueryRecord, QueryTable } from './queries.js'
import type { TopicMatch, TopicReason } from './types.js'

interface TopicGroup {
  readonly slug: string
  readonly lines: readonly string[]
  /** Per line, its id in the query table, or -1 for a line that does not parse. */
  readonly lineIds: readonly number[]
}

/**
 * The topics' lines, indexed once each: who follows a topic is a join away in the database,
 * so a topic with a million followers costs what a topic with one does.
 */
export class TopicGroups {
  private readonly groups: (TopicGroup | undefined)[] = []
  private readonly bySlug = new Map<string, number>()
  private readonly ids = new IdAllocator()

  constructor(private readonly queries: QueryTable) {}

  /** Indexes the topic with these lines, replacing the lines it had; no lines removes it. */
  set(slug: string, lines: readonly string[]): void {
    const current = this.bySlug.get(slug)
    if (current !== undefined) {
      const group = this.groups[current] as TopicGroup
      if (sameLines(group.lines, lines)) return
      this.remove(current)
    }
    if (lines.length === 0) return
    const id = this.ids.take()
    const lineIds = lines.map((line) => this.queries.acquireLine(line) ?? -1)
    lineIds.forEach((lineId, index) => {
      if (lineId < 0) return
      this.record(lineId).topicRefs.push(id, index)
      this.queries.refreshSoleLine(this.queries.lineQuery.get(lineId))
    })
    this.groups[id] = { slug, lines: [...lines], lineIds }
    this.bySlug.set(slug, id)
  }

  /**
   * Each topic some of the matched queries belong to, with its reasons in line order. Only the
   * matches at `candidates` are looked at: the others have no topic line (see SOLE_LINE).
   */
  matched(found: MatchedQueries, candidates: readonly number[]): TopicMatch[] {
    const hits = new Map<number, { index: number; reason: TopicReason }[]>()
    for (const at of candidates) {
      const words = found.words[at] as string[]
      const refs = (this.queries.records[found.ids[at] as number] as QueryRecord).topicRefs
      for (let i = 0; i < refs.length; i += 2) {
        const id = refs[i] as number
        const index = refs[i + 1] as number
        const line = this.groups[id]?.lines[index]
        if (line === undefined) continue
        const hit = { index, reason: { line, words } }
        const list = hits.get(id)
        if (list === undefined) hits.set(id, [hit])
        else list.push(hit)
      }
    }
    return [...hits].map(([id, list]) => ({
      slug: (this.groups[id] as TopicGroup).slug,
      reasons: list.sort((a, b) => a.index - b.index).map((h) => h.reason),
    }))
  }

  private remove(id: number): void {
    const group = this.groups[id] as TopicGroup
    group.lineIds.forEach((lineId, index) => {
      if (lineId < 0) return
      const refs = this.record(lineId).topicRefs
      for (let i = 0; i < refs.length; i += 2) {
        if (refs[i] !== id || refs[i + 1] !== index) continue
        refs.splice(i, 2)
        break
      }
      this.queries.refreshSoleLine(this.queries.lineQuery.get(lineId))
      this.queries.releaseLine(lineId)
    })
    this.bySlug.delete(group.slug)
    this.groups[id] = undefined
    this.ids.give(id)
  }

  private record(lineId: number): QueryRecord {
    return this.queries.records[this.queries.lineQuery.get(lineId)] as QueryRecord
  }
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i])
}

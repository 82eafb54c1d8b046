import { parseQuery, printQuery, type Query, requiredTermSets } from '../query/index.js'
import { IdAllocator, IntColumn } from './columns.js'
import type { KeyFrequency } from './frequency.js'
import type { KeyIndex } from './keys.js'
import { hasChecks, keyProgram, ProgramArena } from './programs.js'

/** One distinct query, shared by every line (of any subscriber or topic) that prints as it. */
export interface QueryRecord {
  /**
   * The parsed query, for a query keys cannot always decide (fields, authors, long phrases);
   * null for the rest, which their key program (see programs.ts) always decides: their parsed
   * queries would only take up heap.
   */
  readonly ast: Query | null
  /** printQuery(ast): what every line sharing this query prints as. */
  readonly canonical: string
  /**
   * Its alternatives, each `[n, key₁ … keyₙ]` with key₁ the one it is indexed under (the
   * rarest) and the others rarest first, so a paper lacking one is rejected early.
   */
  readonly alternatives: readonly number[]
  /** The topic lines that are this query, as `[topicGroup, lineIndex, …]`. */
  readonly topicRefs: number[]
  /** Live lines that print as this query; it is dropped from the index at 0. */
  lines: number
  /** The ids of those lines that are some subscriber's own interest (not only a topic's). */
  readonly ownLines: number[]
}

/** Offsets in QueryTable.perQuery: the stamp of the last paper the query was verified against, */
export const VERIFIED = 0
/** where its key program starts in `programs` (-1: verified by its AST), */
export const PROGRAM = 1
/** and its one line, when that is all a match reports (one own line, no topic line), else -1. */
export const SOLE_LINE = 2
/** Three numbers and a spare: at 16 bytes a query's numbers never straddle two cache lines. */
export const QUERY_STRIDE = 4

/** Drops alternatives that contain another: a paper with the larger has the smaller too. */
function minimal(alternatives: readonly string[][]): string[][] {
  const sets = alternatives.map((a) => new Set(a))
  const kept: string[][] = []
  sets.forEach((set, i) => {
    const covered = sets.some(
      (other, j) =>
        j !== i &&
        other.size <= set.size &&
        (other.size < set.size || j < i) &&
        [...other].every((k) => set.has(k)),
    )
    if (!covered) kept.push([...set])
  })
  return kept
}

/**
 * Interest lines and the distinct queries they parse to. A line already seen is not parsed
 * again (parsing is most of the build); lines that print the same share one query, indexed
 * once.
 */
export class QueryTable {
  readonly records: (QueryRecord | undefined)[] = []
  /** Queries whose alternatives are empty: verified against every paper. */
  readonly unindexed = new Set<number>()
  readonly lineText: (string | undefined)[] = []
  readonly lineQuery = new IntColumn(1024)
  /**
   * Per query, QUERY_STRIDE numbers that matching reads for each candidate (see the field
   * offsets above), side by side: one cache miss brings them all, where a column each cost
   * one each. Most matches are verified and reported from these and `programs` alone,
   * without reaching for the query's record.
   */
  readonly perQuery = new IntColumn(1024)
  readonly programs = new ProgramArena()
  private readonly byCanonical = new Map<string, number>()
  private readonly queryIds = new IdAllocator()
  private readonly lineIds = new Map<string, number>()
  private readonly lineRefs = new IntColumn(1024, 0)
  /** Per line, 1 when it is some subscriber's own interest. */
  private readonly own = new IntColumn(1024, 0)
  private readonly lineAlloc = new IdAllocator()
  private ownCount = 0

  constructor(
    private readonly keys: KeyIndex,
    private readonly frequency: KeyFrequency,
  ) {}

  get queryCount(): number {
    return this.queryIds.live
  }

  /** Forgets which papers verified which query: for when paper stamps start again from 1. */
  resetVerified(): void {
    const data = this.perQuery.data
    for (let at = VERIFIED; at < data.length; at += QUERY_STRIDE) data[at] = 0
  }

  /** The line's id, holding one more reference; undefined for a line that does not parse. */
  acquireLine(line: string): number | undefined {
    let id = this.lineIds.get(line)
    if (id === undefined) {
      const parsed = parseQuery(line)
      // Lines are validated when saved; one that fails here can match nothing, so it is skipped.
      if (!parsed.ok) return undefined
      const canonical = printQuery(parsed.query)
      const queryId = this.byCanonical.get(canonical) ?? this.addQuery(parsed.query, canonical)
      ;(this.records[queryId] as QueryRecord).lines++
      id = this.lineAlloc.take()
      this.lineIds.set(line, id)
      this.lineText[id] = line
      this.lineQuery.set(id, queryId)
    }
    this.lineRefs.set(id, this.lineRefs.get(id) + 1)
    return id
  }

  releaseLine(id: number): void {
    const left = this.lineRefs.get(id) - 1
    this.lineRefs.set(id, left)
    if (left > 0) return
    const queryId = this.lineQuery.get(id)
    this.lineIds.delete(this.lineText[id] as string)
    this.lineText[id] = undefined
    this.own.set(id, 0)
    this.lineAlloc.give(id)
    const record = this.records[queryId] as QueryRecord
    if (--record.lines === 0) this.removeQuery(queryId, record)
  }

  /**
   * Indexes a subscriber's own interest line, once however many subscribers wrote it; it is
   * then reported by ownLines. Returns false for a line that does not parse.
   */
  addOwnLine(line: string): boolean {
    const known = this.lineIds.get(line)
    if (known !== undefined && this.own.get(known) === 1) return true
    const id = this.acquireLine(line)
    if (id === undefined) return false
    this.own.set(id, 1)
    this.recordOf(id).ownLines.push(id)
    this.refreshSoleLine(this.lineQuery.get(id))
    this.ownCount++
    return true
  }

  /** To be called whenever a query's own lines or topic references change. */
  refreshSoleLine(queryId: number): void {
    const record = this.records[queryId] as QueryRecord
    const only = record.ownLines.length === 1 && record.topicRefs.length === 0
    this.perQuery.set(
      queryId * QUERY_STRIDE + SOLE_LINE,
      only ? (record.ownLines[0] as number) : -1,
    )
  }

  /** Distinct lines added by addOwnLine(). */
  get ownLineCount(): number {
    return this.ownCount
  }

  private recordOf(lineId: number): QueryRecord {
    return this.records[this.lineQuery.get(lineId)] as QueryRecord
  }

  private addQuery(ast: Query, canonical: string): number {
    const id = this.queryIds.take()
    const encoded: number[] = []
    const alternatives = minimal(requiredTermSets(ast))
    if (alternatives.length === 0 || alternatives.some((a) => a.length === 0)) {
      this.unindexed.add(id)
    } else {
      for (const alternative of alternatives) {
        const ranked = alternative
          .map((key) => ({ key, frequency: this.frequency(key) }))
          .sort((a, b) => a.frequency - b.frequency)
        const keyIds = ranked.map((r) => this.keys.acquire(r.key))
        encoded.push(keyIds.length, ...keyIds)
        this.keys.addPosting(keyIds[0] as number, id, keyIds.slice(1))
      }
    }
    const program = keyProgram(ast)
    const start = program ? this.programs.add(program, (key) => this.keys.acquire(key)) : -1
    const at = id * QUERY_STRIDE
    this.perQuery.set(at + QUERY_STRIDE - 1, -1)
    this.perQuery.set(at + VERIFIED, 0)
    this.perQuery.set(at + PROGRAM, start)
    this.perQuery.set(at + SOLE_LINE, -1)
    this.records[id] = {
      ast: program === null || hasChecks(program) ? ast : null,
      canonical,
      alternatives: encoded,
      topicRefs: [],
      lines: 0,
      ownLines: [],
    }
    this.byCanonical.set(canonical, id)
    return id
  }

  private removeQuery(id: number, record: QueryRecord): void {
    const alternatives = record.alternatives
    for (let offset = 0; offset < alternatives.length; ) {
      const n = alternatives[offset] as number
      this.keys.removePosting(alternatives[offset + 1] as number, id)
      for (let k = 1; k <= n; k++) this.keys.release(alternatives[offset + k] as number)
      offset += n + 1
    }
    const start = this.perQuery.get(id * QUERY_STRIDE + PROGRAM)
    if (start >= 0) for (const key of this.programs.leafKeys(start)) this.keys.release(key)
    this.unindexed.delete(id)
    this.byCanonical.delete(record.canonical)
    this.records[id] = undefined
    this.queryIds.give(id)
  }
}

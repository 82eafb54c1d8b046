import { parseQuery, printQuery, type Query, requiredTermSets } from '../query/index.js'
import { IdAllocator, IntColumn } from './columns.js'
import type { KeyFrequency } from './frequency.js'
import type { KeyIndex } from './keys.js'
import { internProgram, keyProgram, leafKeys } from './programs.js'

/**
 * How a candidate is verified: by its query over key ids (see programs.ts) or, for a query
 * keys cannot decide (fields, long phrases), by its parsed form. Only one is kept: the parsed
 * queries of the rest were a quarter of the index's heap at a million subscribers.
 */
export type Verification =
  | { readonly program: Int32Array; readonly ast: null }
  | { readonly program: null; readonly ast: Query }

/** One distinct query, shared by every line (of any subscriber or topic) that prints as it. */
export type QueryRecord = Verification & QueryFacts

interface QueryFacts {
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
 * again (at 5 million lines, parsing is most of the build); lines that print the same share
 * one query, indexed once.
 */
export class QueryTable {
  readonly records: (QueryRecord | undefined)[] = []
  /** Queries whose alternatives are empty: verified against every paper. */
  readonly unindexed = new Set<number>()
  readonly lineText: (string | undefined)[] = []
  readonly lineQuery = new IntColumn(1024)
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

  /** One more than the highest query id: the size per-query scratch arrays need. */
  get queryCapacity(): number {
    return this.queryIds.high
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
    this.ownCount++
    return true
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
    const source = keyProgram(ast)
    const program = source && internProgram(source, (key) => this.keys.acquire(key))
    // One object literal for both kinds of record: matching reads records in its hottest
    // loop, and records built in two ways (a spread of either kind) made it a third slower.
    // The fields agree with the Verification union: exactly one of program and ast is null.
    this.records[id] = {
      program,
      ast: program === null ? ast : null,
      canonical,
      alternatives: encoded,
      topicRefs: [],
      lines: 0,
      ownLines: [],
    } as QueryRecord
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
    if (record.program) for (const key of leafKeys(record.program)) this.keys.release(key)
    this.unindexed.delete(id)
    this.byCanonical.delete(record.canonical)
    this.records[id] = undefined
    this.queryIds.give(id)
  }
}

import { lowerBound } from '../lower-bound.js'
import { keyProgram } from '../matching/programs.js'
import { evaluate, matches, type Query, requiredTermSets } from '../query/index.js'
import { type CompactPaper, expandPaper, hasRun } from './compact-paper.js'
import type { WordDictionary } from './dictionary.js'
import { candidatesOnAll, MAYBE, NO, runProgramOnAll, YES } from './key-sets.js'

// The recent papers that interest previews are evaluated against, analysed once and indexed
// by word, author and category. A query is first run over the index for every paper at once,
// with the key program the percolator would compile for it: most queries are decided there
// (a word, a phrase, a prefix, a category, combined with AND, OR and NOT), in microseconds
// for thousands of papers. Only the papers the index cannot decide (a field, an author, a
// long phrase) and the few shown are expanded and given to evaluate(), the matcher's own
// evaluator, so what the preview says is what delivery would do.

export interface WindowPaper {
  readonly id: string
  readonly title: string
  readonly url: string | null
  readonly firstSeenAt: Date
  readonly compact: CompactPaper
}

export interface WindowMatch {
  readonly paper: WindowPaper
  /** What matched, as evaluate() reports it. */
  readonly words: string[]
}

export interface WindowSearch {
  /** Papers first seen at or after `since` that match. */
  readonly total: number
  /** The newest `limit` of them, newest first. */
  readonly newest: WindowMatch[]
}

const EMPTY: readonly number[] = []

const INDEXED_KINDS = new Set([
  'word',
  'exact',
  'phrase',
  'exact-phrase',
  'prefix',
  'author',
  'author-prefix',
  'category',
  'category-prefix',
])

/** Whether the window can tell exactly which papers have the key. */
const isIndexed = (key: string): boolean => INDEXED_KINDS.has(key.slice(0, key.indexOf(':')))

/**
 * Adds papers oldest first, a few at a time if the caller wants to yield in between, then
 * hands over the finished window. Papers must come in order of first sighting.
 */
export class WindowBuilder {
  private readonly papers: WindowPaper[] = []
  private readonly folded = new Map<number, number[]>()
  private readonly exact = new Map<number, number[]>()
  private readonly authors = new Map<string, number[]>()
  private readonly categories = new Map<string, number[]>()
  /** Per word id, the last paper posted under it, so each paper is posted once per word. */
  private lastFolded = new Int32Array(1024).fill(-1)
  private lastExact = new Int32Array(1024).fill(-1)

  constructor(private readonly dictionary: WordDictionary) {}

  add(paper: WindowPaper): void {
    const previous = this.papers.at(-1)
    if (previous && paper.firstSeenAt < previous.firstSeenAt) {
      throw new Error(
        `window papers out of order: ${paper.id} was first seen before ${previous.id}`,
      )
    }
    const slot = this.papers.length
    this.papers.push(paper)
    this.grow(this.dictionary.size)
    const { compact } = paper
    for (let p = 0; p < compact.folded.length; p++) {
      if (p === compact.titleLength) continue
      const f = compact.folded[p] as number
      if (this.lastFolded[f] !== slot) {
        this.lastFolded[f] = slot
        post(this.folded, f, slot)
      }
      const e = compact.exact[p] as number
      if (this.lastExact[e] !== slot) {
        this.lastExact[e] = slot
        post(this.exact, e, slot)
      }
    }
    const names = new Set(compact.authors.flatMap((a) => a.words))
    for (const word of names) post(this.authors, word, slot)
    for (const category of new Set(compact.categories)) post(this.categories, category, slot)
  }

  finish(coveredFrom: Date): PaperWindow {
    this.dictionary.settle()
    return new PaperWindow(
      this.papers,
      this.dictionary,
      {
        folded: this.folded,
        exact: this.exact,
        authors: this.authors,
        categories: this.categories,
      },
      coveredFrom,
    )
  }

  private grow(size: number): void {
    if (size <= this.lastFolded.length) return
    const length = Math.max(size, this.lastFolded.length * 2)
    const grown = (old: Int32Array) => {
      const next = new Int32Array(length).fill(-1)
      next.set(old)
      return next
    }
    this.lastFolded = grown(this.lastFolded)
    this.lastExact = grown(this.lastExact)
  }
}

function post<K>(postings: Map<K, number[]>, key: K, slot: number): void {
  const list = postings.get(key)
  if (list === undefined) postings.set(key, [slot])
  else list.push(slot)
}

interface Postings {
  readonly folded: ReadonlyMap<number, readonly number[]>
  readonly exact: ReadonlyMap<number, readonly number[]>
  readonly authors: ReadonlyMap<string, readonly number[]>
  readonly categories: ReadonlyMap<string, readonly number[]>
}

export class PaperWindow {
  /** First sightings in ms, ascending: where a `since` starts is a binary search away. */
  private readonly firstSeen: Float64Array

  constructor(
    readonly papers: readonly WindowPaper[],
    private readonly dictionary: WordDictionary,
    private readonly postings: Postings,
    /** Papers first seen from here on are all in the window (it may hold fewer days than asked). */
    readonly coveredFrom: Date,
  ) {
    this.firstSeen = Float64Array.from(papers, (p) => p.firstSeenAt.getTime())
  }

  get size(): number {
    return this.papers.length
  }

  /** The query's matches among the papers first seen at or after `since`. */
  search(query: Query, since: Date, limit: number): WindowSearch {
    const start = lowerBound(this.firstSeen, since.getTime())
    const count = this.papers.length
    const keyPapers = (key: string, care: Uint8Array | undefined) =>
      this.papersWithKey(key, start, care)
    const program = keyProgram(query)
    const verdicts = program?.every((operand) => typeof operand !== 'string' || isIndexed(operand))
      ? runProgramOnAll(program, count, keyPapers)
      : candidatesOnAll(requiredTermSets(query), count, keyPapers)
    const newest: WindowMatch[] = []
    let total = 0
    for (let slot = count - 1; slot >= start; slot--) {
      const verdict = verdicts[slot]
      if (verdict === NO) continue
      const paper = this.papers[slot] as WindowPaper
      if (verdict === YES && newest.length >= limit) {
        total++
        continue
      }
      // Undecided by the index, or to be shown with what matched: the evaluator says.
      const analysed = expandPaper(paper.compact, this.dictionary)
      if (verdict === MAYBE && newest.length >= limit) {
        if (matches(query, analysed)) total++
        continue
      }
      const result = evaluate(query, analysed)
      if (!result.matched) continue
      total++
      newest.push({ paper, words: result.words })
    }
    return { total, newest }
  }

  /** 1 for each paper from `start` on that has the key, in the encoding of paperKeys(). */
  private papersWithKey(key: string, start: number, care: Uint8Array | undefined): Uint8Array {
    const out = new Uint8Array(this.papers.length)
    const colon = key.indexOf(':')
    const value = key.slice(colon + 1)
    const mark = (slots: readonly number[] | undefined) => {
      if (slots === undefined) return
      for (let i = lowerBound(slots, start); i < slots.length; i++) out[slots[i] as number] = 1
    }
    switch (key.slice(0, colon)) {
      case 'word':
        mark(this.wordPostings('folded', value))
        break
      case 'exact':
        mark(this.wordPostings('exact', value))
        break
      case 'phrase':
        this.markRuns(out, 'folded', value.split(' '), start, care)
        break
      case 'exact-phrase':
        this.markRuns(out, 'exact', value.split(' '), start, care)
        break
      case 'prefix':
        for (const id of this.dictionary.withPrefix(value)) {
          mark(this.postings.folded.get(id))
          mark(this.postings.exact.get(id))
        }
        break
      case 'author':
        mark(this.postings.authors.get(value))
        break
      case 'category':
        mark(this.postings.categories.get(value))
        break
      case 'author-prefix':
        for (const [word, slots] of this.postings.authors) if (word.startsWith(value)) mark(slots)
        break
      case 'category-prefix':
        for (const [category, slots] of this.postings.categories) {
          if (category.startsWith(value)) mark(slots)
        }
        break
      default:
        // A key this window does not index: every paper may have it. Only candidates are
        // asked for such keys (isIndexed), and evaluate() has the last word on candidates.
        out.fill(1, start)
    }
    return out
  }

  private wordPostings(kind: 'folded' | 'exact', word: string): readonly number[] | undefined {
    const id = this.dictionary.find(word)
    return id === undefined ? undefined : this.postings[kind].get(id)
  }

  /** Marks the papers where the words run one after another, as the phrase keys of paperKeys(). */
  private markRuns(
    out: Uint8Array,
    kind: 'folded' | 'exact',
    words: string[],
    start: number,
    care: Uint8Array | undefined,
  ) {
    const ids: number[] = []
    let rarest: readonly number[] | undefined
    for (const word of words) {
      const id = this.dictionary.find(word)
      const slots = id === undefined ? undefined : this.postings[kind].get(id)
      if (id === undefined || slots === undefined) return
      ids.push(id)
      if (rarest === undefined || slots.length < rarest.length) rarest = slots
    }
    for (const slot of rarest ?? EMPTY) {
      if (slot < start || care?.[slot] === 0) continue
      const { compact } = this.papers[slot] as WindowPaper
      if (hasRun(kind === 'folded' ? compact.folded : compact.exact, ids)) out[slot] = 1
    }
  }
}

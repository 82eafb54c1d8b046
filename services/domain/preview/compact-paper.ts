import type { AnalyzedAuthor, AnalyzedPaper, AnalyzedText } from '../query/index.js'
import { GAP, type WordDictionary } from './dictionary.js'

/**
 * An analysed paper (analyzePaper()) stored as word ids: about 5 KB where the analysed form
 * takes 50 KB, and read back as exactly that analysed form, without tokenizing again, for the
 * few papers a query needs to look at closely.
 */
export interface CompactPaper {
  readonly titleLength: number
  /** Folded word id at each position of title, gap and abstract (GAP at the gap). */
  readonly folded: Uint32Array
  /** Unfolded word id at each position. */
  readonly exact: Uint32Array
  /** Ids of every folded and unfolded word once, in the order of the words (as analysed). */
  readonly vocabulary: Uint32Array
  readonly authors: readonly AnalyzedAuthor[]
  readonly categories: readonly string[]
}

export function compactPaper(paper: AnalyzedPaper, dictionary: WordDictionary): CompactPaper {
  const { text } = paper
  const length = text.surface.length
  const folded = new Uint32Array(length)
  const exact = new Uint32Array(length)
  for (let position = 0; position < length; position++) {
    if (position === text.titleLength) continue
    folded[position] = dictionary.idOf(text.foldedAt[position] as string)
    exact[position] = dictionary.idOf(text.surface[position] as string)
  }
  return {
    titleLength: text.titleLength,
    folded,
    exact,
    vocabulary: Uint32Array.from(text.vocabulary, (word) => dictionary.idOf(word)),
    authors: paper.authors,
    categories: paper.categories,
  }
}

/**
 * Word → positions, as analyzePaper() builds it, worked out only for the words asked for:
 * a query looks up a few words, and building the whole map cost more than evaluating.
 * Anything that walks the map gets all of it.
 */
class PositionsOf extends Map<string, readonly number[]> {
  private complete = false

  constructor(
    private readonly sequence: Uint32Array,
    private readonly gap: number,
    private readonly dictionary: WordDictionary,
  ) {
    super()
  }

  override get(word: string): readonly number[] | undefined {
    if (this.complete || super.has(word)) return super.get(word)
    const id = word === '' ? undefined : this.dictionary.find(word)
    if (id === undefined) return undefined
    const positions: number[] = []
    for (let p = 0; p < this.sequence.length; p++) {
      if (this.sequence[p] === id && p !== this.gap) positions.push(p)
    }
    if (positions.length === 0) return undefined
    super.set(word, positions)
    return positions
  }

  override has(word: string): boolean {
    return this.get(word) !== undefined
  }

  override get size(): number {
    return this.all().size
  }

  override keys() {
    return this.all().keys()
  }

  override values() {
    return this.all().values()
  }

  override entries() {
    return this.all().entries()
  }

  override [Symbol.iterator]() {
    return this.all().entries()
  }

  override forEach(
    visit: (value: readonly number[], key: string, map: Map<string, readonly number[]>) => void,
  ): void {
    this.all().forEach(visit)
  }

  /** Every word with its positions, in the order analyzePaper() adds them. */
  private all(): Map<string, readonly number[]> {
    if (this.complete) return new Map(super.entries())
    const full = new Map<string, number[]>()
    for (let p = 0; p < this.sequence.length; p++) {
      if (p === this.gap) continue
      const word = this.dictionary.words[this.sequence[p] as number] as string
      const positions = full.get(word)
      if (positions === undefined) full.set(word, [p])
      else positions.push(p)
    }
    super.clear()
    for (const [word, positions] of full) super.set(word, positions)
    this.complete = true
    return full
  }
}

function wordsOf(ids: Uint32Array, dictionary: WordDictionary): string[] {
  const words = new Array<string>(ids.length)
  for (let i = 0; i < ids.length; i++) words[i] = dictionary.words[ids[i] as number] as string
  return words
}

/** The analysed text of a compact paper, each part worked out when first read. */
class ExpandedText implements AnalyzedText {
  private foldedMap: PositionsOf | undefined
  private exactMap: PositionsOf | undefined
  private surfaceWords: string[] | undefined
  private foldedWords: string[] | undefined
  private vocabularyWords: string[] | undefined

  constructor(
    private readonly paper: CompactPaper,
    private readonly dictionary: WordDictionary,
  ) {}

  get titleLength(): number {
    return this.paper.titleLength
  }

  get folded(): ReadonlyMap<string, readonly number[]> {
    this.foldedMap ??= new PositionsOf(this.paper.folded, this.paper.titleLength, this.dictionary)
    return this.foldedMap
  }

  get exact(): ReadonlyMap<string, readonly number[]> {
    this.exactMap ??= new PositionsOf(this.paper.exact, this.paper.titleLength, this.dictionary)
    return this.exactMap
  }

  get surface(): readonly string[] {
    this.surfaceWords ??= wordsOf(this.paper.exact, this.dictionary)
    return this.surfaceWords
  }

  get foldedAt(): readonly string[] {
    this.foldedWords ??= wordsOf(this.paper.folded, this.dictionary)
    return this.foldedWords
  }

  get vocabulary(): readonly string[] {
    this.vocabularyWords ??= wordsOf(this.paper.vocabulary, this.dictionary)
    return this.vocabularyWords
  }
}

/** The analysed paper compactPaper() was given, read from the ids as evaluate() asks. */
export function expandPaper(paper: CompactPaper, dictionary: WordDictionary): AnalyzedPaper {
  return {
    text: new ExpandedText(paper, dictionary),
    authors: paper.authors,
    categories: paper.categories,
  }
}

/** Whether the words `ids` occur one after another in `sequence` (never across the gap). */
export function hasRun(sequence: Uint32Array, ids: readonly number[]): boolean {
  const first = ids[0]
  if (first === undefined || first === GAP) return false
  const last = sequence.length - ids.length
  outer: for (let start = 0; start <= last; start++) {
    if (sequence[start] !== first) continue
    for (let i = 1; i < ids.length; i++) if (sequence[start + i] !== ids[i]) continue outer
    return true
  }
  return false
}

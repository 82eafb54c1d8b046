import { tokenize } from './normalize.js'

// A paper is normalised once and then matched against many queries, so everything a query
// needs is precomputed here as plain lookups: no regular expression runs per query.

/**
 * Title and abstract share one position space so that "title or abstract" needs no merging:
 * title words are at 0 … titleLength-1, abstract words from titleLength+1. The empty position
 * titleLength keeps a phrase from running from the end of the title into the abstract.
 */
export interface AnalyzedText {
  readonly titleLength: number
  /** Folded word → its positions, ascending. */
  readonly folded: ReadonlyMap<string, readonly number[]>
  /** Unfolded word → its positions, ascending. */
  readonly exact: ReadonlyMap<string, readonly number[]>
  /** Unfolded word at each position ('' at the gap): what is reported as matched. */
  readonly surface: readonly string[]
  /** Folded word at each position ('' at the gap). */
  readonly foldedAt: readonly string[]
  /** Every folded and unfolded word once, sorted, so a prefix is a binary search away. */
  readonly vocabulary: readonly string[]
}

export interface AnalyzedAuthor {
  /** The normalised name, words joined by one space: what is reported as matched. */
  readonly name: string
  /** Unfolded words of the name; names have no plurals. */
  readonly words: readonly string[]
}

export interface AnalyzedPaper {
  readonly text: AnalyzedText
  readonly authors: readonly AnalyzedAuthor[]
  /** Lower-cased arXiv categories. */
  readonly categories: readonly string[]
}

export interface PaperFields {
  readonly title: string
  readonly abstract: string
  readonly authors?: readonly string[]
  readonly categories?: readonly string[]
}

function addPosition(map: Map<string, number[]>, word: string, position: number): void {
  const positions = map.get(word)
  if (positions === undefined) map.set(word, [position])
  else positions.push(position)
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : '')
const asList = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : [])

/** Normalises a paper once for matching. Total: missing or malformed fields count as empty. */
export function analyzePaper(paper: PaperFields): AnalyzedPaper {
  const title = tokenize(asText(paper?.title))
  const abstract = tokenize(asText(paper?.abstract))
  const folded = new Map<string, number[]>()
  const exact = new Map<string, number[]>()
  const surface: string[] = []
  const foldedAt: string[] = []
  const place = (tokens: typeof title, offset: number): void => {
    for (const t of tokens) {
      const position = offset + t.index
      addPosition(folded, t.word, position)
      addPosition(exact, t.exact, position)
      surface[position] = t.exact
      foldedAt[position] = t.word
    }
  }
  place(title, 0)
  surface[title.length] = ''
  foldedAt[title.length] = ''
  place(abstract, title.length + 1)
  const vocabulary = [...new Set([...folded.keys(), ...exact.keys()])].sort()

  const authors = asList(paper?.authors).map((name) => {
    const words = tokenize(asText(name)).map((t) => t.exact)
    return { name: words.join(' '), words }
  })
  const categories = asList(paper?.categories)
    .map((c) => asText(c).normalize('NFKC').trim().toLowerCase())
    .filter((c) => c !== '')

  return {
    text: { titleLength: title.length, folded, exact, surface, foldedAt, vocabulary },
    authors: authors.filter((a) => a.words.length > 0),
    categories,
  }
}

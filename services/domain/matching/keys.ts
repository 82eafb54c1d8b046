import { lowerBound } from '../lower-bound.js'
import { type AnalyzedPaper, forEachPhrase } from '../query/index.js'
import { IdAllocator, IntColumn } from './columns.js'

// Keys are those of requiredTermSets()/paperKeys() ("word:model", "prefix:unlearn", …). They
// are interned to small ids: a posting list per id, and a stamp per id recording the last
// paper that had the key, which turns "does the paper have every key of this alternative?"
// into a few array reads.

type PrefixKind = 'prefix' | 'author-prefix' | 'category-prefix'
const PREFIX_KINDS: readonly string[] = ['prefix', 'author-prefix', 'category-prefix']

function split(key: string): [kind: string, value: string] {
  const colon = key.indexOf(':')
  return [key.slice(0, colon), key.slice(colon + 1)]
}

export class KeyIndex {
  /** One map per kind, so that a paper's words are looked up without building "kind:word". */
  private readonly byKind = new Map<string, Map<string, number>>()
  private readonly names: (string | undefined)[] = []
  private readonly refs = new IntColumn(1024, 0)
  private readonly ids = new IdAllocator()
  /** Prefixes are found by walking a word's prefixes through a sorted list, stopping early. */
  private readonly sortedPrefixes = new Map<string, string[] | null>()
  /** keyId → the alternatives indexed under the key, as entries [queryId, count, key…]. */
  readonly postings: (number[] | undefined)[] = []
  readonly stamp = new IntColumn(1024, 0)
  postingCount = 0

  /** The key an id stands for ("phrase:language model"). */
  name(id: number): string {
    return this.names[id] as string
  }

  /** The key's id, holding one more reference to it. */
  acquire(key: string): number {
    const [kind, value] = split(key)
    let values = this.byKind.get(kind)
    if (values === undefined) {
      values = new Map()
      this.byKind.set(kind, values)
    }
    let id = values.get(value)
    if (id === undefined) {
      id = this.ids.take()
      values.set(value, id)
      this.names[id] = key
      this.stamp.set(id, 0)
      if (PREFIX_KINDS.includes(kind)) this.sortedPrefixes.set(kind, null)
    }
    this.refs.set(id, this.refs.get(id) + 1)
    return id
  }

  release(id: number): void {
    const left = this.refs.get(id) - 1
    this.refs.set(id, left)
    if (left > 0) return
    const [kind, value] = split(this.names[id] as string)
    this.byKind.get(kind)?.delete(value)
    if (PREFIX_KINDS.includes(kind)) this.sortedPrefixes.set(kind, null)
    this.names[id] = undefined
    this.postings[id] = undefined
    this.ids.give(id)
  }

  /**
   * Indexes an alternative of a query under key `id`, with the alternative's other keys in
   * the entry itself: [queryId, count, key…]. Whether the paper has them all is then decided
   * by reading the posting list in order, without touching the query's record.
   */
  addPosting(id: number, queryId: number, others: readonly number[]): void {
    let list = this.postings[id]
    if (list === undefined) {
      list = []
      this.postings[id] = list
    }
    list.push(queryId, others.length, ...others)
    this.postingCount++
  }

  /** Removes one entry of the query from key `id`'s postings (one per alternative added). */
  removePosting(id: number, queryId: number): void {
    const list = this.postings[id]
    if (list === undefined) return
    for (let i = 0; i < list.length; i += 2 + (list[i + 1] as number)) {
      if (list[i] !== queryId) continue
      list.splice(i, 2 + (list[i + 1] as number))
      this.postingCount--
      break
    }
    if (list.length === 0) this.postings[id] = undefined
  }

  /** Stamps every indexed key the paper has and lists them in `present`, each once. */
  markPaper(paper: AnalyzedPaper, stamp: number, present: number[]): void {
    const marks = this.stamp.data
    const visit = (values: Map<string, number> | undefined, value: string): void => {
      const id = values?.get(value)
      if (id === undefined || marks[id] === stamp) return
      marks[id] = stamp
      present.push(id)
    }
    const words = this.byKind.get('word')
    for (const word of paper.text.folded.keys()) visit(words, word)
    const exact = this.byKind.get('exact')
    for (const word of paper.text.exact.keys()) visit(exact, word)
    const phrases = this.byKind.get('phrase')
    if (phrases !== undefined) forEachPhrase(paper.text.foldedAt, (p) => visit(phrases, p))
    const exactPhrases = this.byKind.get('exact-phrase')
    if (exactPhrases !== undefined) forEachPhrase(paper.text.surface, (p) => visit(exactPhrases, p))
    for (const word of paper.text.vocabulary) this.visitPrefixes('prefix', word, visit)
    const authors = this.byKind.get('author')
    for (const author of paper.authors) {
      for (const word of author.words) {
        visit(authors, word)
        this.visitPrefixes('author-prefix', word, visit)
      }
    }
    const categories = this.byKind.get('category')
    for (const category of paper.categories) {
      visit(categories, category)
      this.visitPrefixes('category-prefix', category, visit)
    }
  }

  private visitPrefixes(
    kind: PrefixKind,
    word: string,
    visit: (values: Map<string, number> | undefined, value: string) => void,
  ): void {
    const values = this.byKind.get(kind)
    if (values === undefined || values.size === 0) return
    let sorted = this.sortedPrefixes.get(kind)
    if (sorted == null) {
      sorted = [...values.keys()].sort()
      this.sortedPrefixes.set(kind, sorted)
    }
    for (let length = 1; length <= word.length; length++) {
      const prefix = word.slice(0, length)
      const next = sorted[lowerBound(sorted, prefix)]
      // Nothing indexed starts with this prefix, so nothing starts with a longer one either.
      if (next === undefined || !next.startsWith(prefix)) return
      if (next === prefix) visit(values, prefix)
    }
  }
}

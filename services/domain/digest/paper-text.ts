import type { Segment } from './highlight.js'
import type { DigestPaper } from './types.js'

/** What a digest shows of a paper's own fields, given the words it highlights. */
export interface PaperText {
  readonly title: readonly Segment[]
  readonly titleShortened: boolean
  readonly abstract: readonly Segment[]
  readonly shortAbstract: readonly Segment[]
  readonly abstractShortened: boolean
  readonly authors: string
  readonly url: string | null
}

// A day's papers go to many subscribers, most of them for the same few words: a paper's text,
// highlighted and shortened once for those words, serves every digest that shows it so.
const CACHE_LIMIT = 2_000
const cache = new Map<string, { readonly paper: DigestPaper; readonly text: PaperText }>()

/**
 * The paper's text for these words: remembered, or made by `make` and remembered. An entry
 * serves only a paper whose shown fields are those it was made from (a source may correct a
 * title the next day), and the results are shared: nobody may change them.
 */
export function paperText(
  paper: DigestPaper,
  words: readonly string[],
  make: () => PaperText,
): PaperText {
  const key = `${paper.id}\u0000${words.join('\u0000')}`
  const found = cache.get(key)
  if (found && sameShownFields(found.paper, paper)) return found.text
  const text = make()
  // A stale entry goes, so that the new one is the newest (Maps keep insertion order).
  if (found) cache.delete(key)
  else if (cache.size >= CACHE_LIMIT) {
    // The oldest first: Maps keep insertion order.
    cache.delete(cache.keys().next().value as string)
  }
  cache.set(key, { paper, text })
  return text
}

function sameShownFields(a: DigestPaper, b: DigestPaper): boolean {
  return (
    a.title === b.title &&
    a.abstract === b.abstract &&
    a.url === b.url &&
    a.authors.length === b.authors.length &&
    a.authors.every((author, i) => author === b.authors[i])
  )
}

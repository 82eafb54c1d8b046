import type { AnalyzedPaper } from './analyze.js'
import type { PhraseWord, Query } from './ast.js'

// Index keys for a percolator: instead of matching every paper against every interest, index
// each interest under one key that any matching paper must have, look up the keys a paper
// has, and evaluate only the interests found. Keys are strings:
//   word:<folded word>         the title or abstract has the word (plural folded)
//   exact:<word>               the title or abstract has the word (plural kept)
//   phrase:<w1 w2[ w3]>        the title or abstract has these 2–3 folded words in a row
//   exact-phrase:<w1 w2[ w3]>  the same, plurals kept
//   prefix:<p>                 the title or abstract has a word starting with p
//   author:<w>                 some author's name has the word w
//   author-prefix:<p>          some author's name has a word starting with p
//   category:<c>               the paper is in category c
//   category-prefix:<p>        the paper is in a category starting with p

type Scope = 'text' | 'title' | 'abstract' | 'author'
/** Alternatives: a matching paper has every key of at least one of them. */
type Alternatives = string[][]

function wordKey(word: PhraseWord, scope: Scope): string {
  if (scope === 'author') {
    // A one-letter word matches as an initial, so only its prefix is certain to be there.
    return word.prefix || word.text.length === 1
      ? `author-prefix:${word.text}`
      : `author:${word.text}`
  }
  return word.prefix ? `prefix:${word.text}` : `word:${word.text}`
}

const unique = (keys: readonly string[]): string[] => [...new Set(keys)]

/**
 * Phrases of two or three words are keyed as a whole: "language model" is in far fewer papers
 * than "language" or "model", so it makes a short posting list and few false candidates.
 * Longer phrases keep their words as keys: papers would have to list every n-gram.
 */
export const MAX_PHRASE_KEY_WORDS = 3

function phraseKey(kind: 'phrase' | 'exact-phrase', words: readonly string[]): string | null {
  if (words.length < 2 || words.length > MAX_PHRASE_KEY_WORDS) return null
  return `${kind}:${words.join(' ')}`
}

function alternatives(query: Query, scope: Scope): Alternatives | null {
  switch (query.kind) {
    case 'term':
      return [[wordKey({ text: query.word, prefix: false }, scope)]]
    case 'prefix':
      return [[wordKey({ text: query.prefix, prefix: true }, scope)]]
    case 'phrase': {
      if (query.words.length === 0) return null
      const key =
        scope === 'author' || query.words.some((w) => w.prefix)
          ? null
          : phraseKey(
              'phrase',
              query.words.map((w) => w.text),
            )
      return [key ? [key] : unique(query.words.map((w) => wordKey(w, scope)))]
    }
    case 'exact': {
      if (query.words.length === 0) return null
      const key = scope === 'author' ? null : phraseKey('exact-phrase', query.words)
      if (key) return [[key]]
      return [
        unique(
          query.words.map((w) =>
            scope === 'author' ? wordKey({ text: w, prefix: false }, scope) : `exact:${w}`,
          ),
        ),
      ]
    }
    case 'category':
      return [[`${query.prefix ? 'category-prefix' : 'category'}:${query.value}`]]
    case 'field':
      return alternatives(query.query, query.field)
    case 'not':
      return null
    case 'and': {
      const required = query.children
        .map((c) => alternatives(c, scope))
        .filter((a): a is Alternatives => a !== null)
      if (required.length === 0) return null
      // Sides with one alternative are plain conjunctions: all their keys are required. Of
      // the sides with several, one is enough to be sound; crossing them all would multiply.
      const always = required.filter((a) => a.length === 1).flatMap((a) => a[0] ?? [])
      const choices = required.filter((a) => a.length > 1).sort((a, b) => a.length - b.length)[0]
      if (choices === undefined) return [unique(always)]
      return choices.map((alternative) => unique([...alternative, ...always]))
    }
    case 'or': {
      const sides = query.children.map((c) => alternatives(c, scope))
      if (sides.some((s) => s === null)) return null
      return sides.flatMap((s) => s ?? [])
    }
    default:
      return null
  }
}

/**
 * What a query requires, for indexing: a list of alternatives, each a list of keys that a
 * matching paper all has. Indexing the query under any one key of each alternative finds
 * every paper it matches. An empty list means it cannot be indexed: only queries that
 * parseInterest rejects ("NOT survey") give one.
 */
export function requiredTermSets(query: Query): string[][] {
  try {
    return alternatives(query, 'text') ?? []
  } catch {
    return []
  }
}

function addPrefixes(keys: Set<string>, kind: string, word: string): void {
  let prefix = ''
  for (const c of word) {
    prefix += c
    keys.add(`${kind}:${prefix}`)
  }
}

/**
 * Calls `visit` with each run of 2…MAX_PHRASE_KEY_WORDS consecutive words of the text (runs
 * never cross the gap between title and abstract), joined by spaces.
 */
export function forEachPhrase(words: readonly string[], visit: (phrase: string) => void): void {
  for (let start = 0; start < words.length; start++) {
    let phrase = words[start] as string
    if (phrase === '') continue
    for (let n = 2; n <= MAX_PHRASE_KEY_WORDS && start + n <= words.length; n++) {
      const next = words[start + n - 1] as string
      if (next === '') break
      phrase += ` ${next}`
      visit(phrase)
    }
  }
}

/** Every key that the paper has, in the encoding of requiredTermSets. */
export function paperKeys(paper: AnalyzedPaper): Set<string> {
  const keys = new Set<string>()
  for (const word of paper.text.folded.keys()) keys.add(`word:${word}`)
  for (const word of paper.text.exact.keys()) keys.add(`exact:${word}`)
  forEachPhrase(paper.text.foldedAt, (phrase) => keys.add(`phrase:${phrase}`))
  forEachPhrase(paper.text.surface, (phrase) => keys.add(`exact-phrase:${phrase}`))
  for (const word of paper.text.vocabulary) addPrefixes(keys, 'prefix', word)
  for (const author of paper.authors) {
    for (const word of author.words) {
      keys.add(`author:${word}`)
      addPrefixes(keys, 'author-prefix', word)
    }
  }
  for (const category of paper.categories) {
    keys.add(`category:${category}`)
    addPrefixes(keys, 'category-prefix', category)
  }
  return keys
}

import { lowerBound } from '../lower-bound.js'
import type { AnalyzedPaper, AnalyzedText } from './analyze.js'
import type { PhraseWord, Query } from './ast.js'

export interface Evaluation {
  readonly matched: boolean
  /**
   * What matched, for highlighting: normalised words and phrases as they appear in the title
   * or abstract (so `model` reports both "model" and "models"), normalised author names, and
   * categories. Empty when the query did not match; nothing under a NOT is reported.
   */
  readonly words: string[]
}

type Scope = 'text' | 'title' | 'abstract' | 'author'

const EMPTY: readonly number[] = []

function contains(sorted: readonly number[], value: number): boolean {
  return sorted[lowerBound(sorted, value)] === value
}

/** Positions of the words starting with `prefix`, plural folded or kept, ascending. */
export function prefixPositions(text: AnalyzedText, prefix: string): readonly number[] {
  const found = new Set<number>()
  const vocabulary = text.vocabulary
  for (let i = lowerBound(vocabulary, prefix); i < vocabulary.length; i++) {
    const word = vocabulary[i] as string
    if (!word.startsWith(prefix)) break
    for (const p of text.folded.get(word) ?? EMPTY) found.add(p)
    for (const p of text.exact.get(word) ?? EMPTY) found.add(p)
  }
  return [...found].sort((a, b) => a - b)
}

function inScope(text: AnalyzedText, scope: Scope, position: number): boolean {
  if (scope === 'title') return position < text.titleLength
  if (scope === 'abstract') return position > text.titleLength
  return true
}

/** Finds `lists[0][k] + i ∈ lists[i]` for all i: the words in order, next to each other. */
function matchSequence(
  text: AnalyzedText,
  lists: readonly (readonly number[])[],
  scope: Scope,
  out: Set<string> | null,
): boolean {
  const [first] = lists
  if (first === undefined) return false
  // Most papers lack at least one word of a phrase; that is the cheap answer.
  for (const positions of lists) if (positions.length === 0) return false
  if (out === null && lists.length === 1) {
    // One word, no reporting: positions are sorted, so the ends of the list decide.
    if (scope === 'title') return (first[0] ?? Infinity) < text.titleLength
    if (scope === 'abstract') return (first[first.length - 1] ?? -1) > text.titleLength
    return first.length > 0
  }
  let matched = false
  for (const start of first) {
    if (!inScope(text, scope, start)) continue
    if (!lists.every((positions, i) => i === 0 || contains(positions, start + i))) continue
    matched = true
    if (out === null) return true
    out.add(lists.map((_, i) => text.surface[start + i]).join(' '))
  }
  return matched
}

function wordPositions(text: AnalyzedText, word: PhraseWord): readonly number[] {
  return word.prefix ? prefixPositions(text, word.text) : (text.folded.get(word.text) ?? EMPTY)
}

function nameWordMatches(query: PhraseWord, nameWord: string): boolean {
  if (query.prefix) return nameWord.startsWith(query.text)
  // A single letter is an initial: author:"Y LeCun" finds Yann LeCun.
  return query.text.length === 1 ? nameWord.startsWith(query.text) : nameWord === query.text
}

/** All the words in ONE author's name, in any order ("LeCun, Yann" is Yann LeCun). */
function matchAuthor(
  paper: AnalyzedPaper,
  words: readonly PhraseWord[],
  out: Set<string> | null,
): boolean {
  if (words.length === 0) return false
  let matched = false
  for (const author of paper.authors) {
    if (!words.every((w) => author.words.some((n) => nameWordMatches(w, n)))) continue
    matched = true
    if (out === null) return true
    out.add(author.name)
  }
  return matched
}

const plain = (text: string): PhraseWord => ({ text, prefix: false })

function evaluateNode(
  query: Query,
  paper: AnalyzedPaper,
  scope: Scope,
  out: Set<string> | null,
): boolean {
  const text = paper.text
  switch (query.kind) {
    case 'term':
      if (scope === 'author') return matchAuthor(paper, [plain(query.word)], out)
      return matchSequence(text, [text.folded.get(query.word) ?? EMPTY], scope, out)
    case 'prefix':
      if (scope === 'author') return matchAuthor(paper, [{ text: query.prefix, prefix: true }], out)
      return matchSequence(text, [prefixPositions(text, query.prefix)], scope, out)
    case 'phrase':
      if (scope === 'author') return matchAuthor(paper, query.words, out)
      return matchSequence(
        text,
        query.words.map((w) => wordPositions(text, w)),
        scope,
        out,
      )
    case 'exact':
      if (scope === 'author') return matchAuthor(paper, query.words.map(plain), out)
      return matchSequence(
        text,
        query.words.map((w) => text.exact.get(w) ?? EMPTY),
        scope,
        out,
      )
    case 'category': {
      let matched = false
      for (const category of paper.categories) {
        if (query.prefix ? !category.startsWith(query.value) : category !== query.value) continue
        matched = true
        if (out === null) return true
        out.add(category)
      }
      return matched
    }
    case 'field':
      return evaluateNode(query.query, paper, query.field, out)
    case 'not':
      return !evaluateNode(query.child, paper, scope, null)
    case 'and': {
      if (out === null) return query.children.every((c) => evaluateNode(c, paper, scope, null))
      const found = new Set<string>()
      if (!query.children.every((c) => evaluateNode(c, paper, scope, found))) return false
      for (const w of found) out.add(w)
      return true
    }
    case 'or': {
      if (out === null) return query.children.some((c) => evaluateNode(c, paper, scope, null))
      // Every side that matched is reported, not just the first.
      let matched = false
      for (const child of query.children) {
        const found = new Set<string>()
        if (!evaluateNode(child, paper, scope, found)) continue
        matched = true
        for (const w of found) out.add(w)
      }
      return matched
    }
    default:
      return false
  }
}

/** Whether the paper matches, and what matched. Total: never throws, even on a malformed AST. */
export function evaluate(query: Query, paper: AnalyzedPaper): Evaluation {
  try {
    const found = new Set<string>()
    const matched = evaluateNode(query, paper, 'text', found)
    return { matched, words: matched ? [...found] : [] }
  } catch {
    return { matched: false, words: [] }
  }
}

/** Whether the paper matches; faster than evaluate() because it stops at the first proof. */
export function matches(query: Query, paper: AnalyzedPaper): boolean {
  try {
    return evaluateNode(query, paper, 'text', null)
  } catch {
    return false
  }
}

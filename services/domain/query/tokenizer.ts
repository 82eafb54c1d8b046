import { fail } from './errors.js'
import { isAscii } from './normalize.js'

export type FieldName = 'title' | 'abstract' | 'author' | 'category'

/** A lexical token of an interest line; `column` is 1-based, counted in characters. */
export type LexToken =
  /** A run of text between spaces, brackets and quotes; `raw` excludes the trailing `*`s. */
  | {
      readonly type: 'word'
      readonly column: number
      readonly raw: string
      readonly prefix: boolean
    }
  /** A quoted phrase; `column` is that of the opening quote. */
  | { readonly type: 'quote'; readonly column: number; readonly raw: string }
  | { readonly type: 'field'; readonly column: number; readonly field: FieldName }
  | {
      readonly type: 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'minus'
      readonly column: number
    }

const FIELDS: ReadonlySet<string> = new Set<FieldName>(['title', 'abstract', 'author', 'category'])
// Pasted text often brings typographic quotes; they open and close phrases like straight ones.
const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e', '\u201f'])
const OPERATORS: ReadonlyMap<string, 'and' | 'or' | 'not'> = new Map([
  ['AND', 'and'],
  ['OR', 'or'],
  ['NOT', 'not'],
] as const)
const FIELD_PREFIX = /^(\p{L}+):/u
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u
const SPACE = /\s/u

/**
 * Splits an interest line into tokens. Throws QueryFailure (caught by the parser) for the
 * problems that are visible without grammar: unclosed quotes, misplaced `*` and `-`, unknown
 * fields, `|` and `&` used as operators.
 */
export function lex(line: string): LexToken[] {
  const original = [...line]
  // Special characters are recognised after per-character NFKC, so that full-width brackets,
  // colons and letters typed with an East Asian input method work like ASCII ones, while the
  // columns stay those of the line as typed.
  // NFKC leaves ASCII as it is, and an ASCII line's characters are its code units: most lines
  // skip the per-character normalisation and slice the line itself.
  const ascii = isAscii(line)
  const chars = ascii ? original : original.map((c) => c.normalize('NFKC'))
  const tokens: LexToken[] = []
  const n = chars.length
  const isBoundary = (i: number): boolean => {
    const c = chars[i] ?? ' '
    return SPACE.test(c) || c === '(' || c === ')' || QUOTES.has(c)
  }
  const text = (from: number, to: number): string =>
    ascii ? line.slice(from, to) : chars.slice(from, to).join('')
  const typed = (from: number, to: number): string =>
    ascii ? line.slice(from, to) : original.slice(from, to).join('')

  const pushWord = (from: number, to: number, standalone: boolean): void => {
    let end = to
    while (end > from && chars[end - 1] === '*') end--
    const prefix = end < to
    for (let i = from; i < end; i++) {
      if (chars[i] === '*') fail(i + 1, '* can only end a word, as in unlearn*')
    }
    const raw = typed(from, end)
    const hasWord = LETTER_OR_DIGIT.test(text(from, end))
    if (prefix && !hasWord) fail(end + 1, '* needs a word before it, as in unlearn*')
    // Punctuation on its own is a word separator, like in the papers' text.
    if (standalone && !hasWord) return
    tokens.push({ type: 'word', column: from + 1, raw, prefix })
  }

  const pushRun = (from: number, to: number): void => {
    const run = text(from, to)
    if (chars[from] === '-') {
      const attached =
        to - from > 1 || (to < n && !SPACE.test(chars[to] ?? ' ') && chars[to] !== ')')
      if (!attached) fail(from + 1, '- must be attached to what it excludes, as in -survey')
      tokens.push({ type: 'minus', column: from + 1 })
      if (to - from > 1) pushRun(from + 1, to)
      return
    }
    const operator = OPERATORS.get(run)
    if (operator !== undefined) {
      tokens.push({ type: operator, column: from + 1 })
      return
    }
    if (run === '|' || run === '||') fail(from + 1, `write OR instead of ${run}`)
    if (run === '&' || run === '&&') fail(from + 1, `write AND instead of ${run}`)
    const field = FIELD_PREFIX.exec(run)
    if (field?.[1] !== undefined) {
      const name = field[1].toLowerCase()
      if (!FIELDS.has(name)) fail(from + 1, `unknown field "${field[1]}"`)
      tokens.push({ type: 'field', column: from + 1, field: name as FieldName })
      const valueStart = chars.indexOf(':', from) + 1
      if (valueStart < to) {
        if (chars[valueStart] === '-') {
          fail(valueStart + 1, `put - before the field, as in -${name}:word`)
        }
        pushWord(valueStart, to, false)
      }
      return
    }
    pushWord(from, to, true)
  }

  let i = 0
  while (i < n) {
    const c = chars[i] ?? ' '
    if (SPACE.test(c)) {
      i++
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c === '(' ? 'lparen' : 'rparen', column: i + 1 })
      i++
    } else if (QUOTES.has(c)) {
      let close = i + 1
      while (close < n && !QUOTES.has(chars[close] ?? '')) close++
      if (close >= n) fail(i + 1, 'unclosed quote')
      for (let j = i + 1; j < close; j++) {
        if (chars[j] === '*')
          fail(j + 1, '* does not work inside quotes; write unlearn* outside them')
      }
      tokens.push({ type: 'quote', column: i + 1, raw: typed(i + 1, close) })
      i = close + 1
    } else {
      let end = i
      while (end < n && !isBoundary(end)) end++
      pushRun(i, end)
      i = end
    }
  }
  return tokens
}

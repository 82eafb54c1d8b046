import type { PhraseWord, Query, TextField } from './ast.js'
import { errorAt, fail, lineError, type QueryError, QueryFailure } from './errors.js'
import { tokenize } from './normalize.js'
import { requiresSomething } from './requires-something.js'
import { type FieldName, type LexToken, lex } from './tokenizer.js'

export const MAX_INTEREST_LENGTH = 200

export type ParseResult =
  | { readonly ok: true; readonly query: Query }
  | { readonly ok: false; readonly error: QueryError }

/** Reason given if the parser itself is at fault; tests assert that it never appears. */
export const INTERNAL_ERROR_REASON = 'this interest could not be read'

const NOTHING_REQUIRED = 'a line must require something; NOT alone excludes only'
const OR_SIDE_REQUIRES_NOTHING = 'each side of OR must require something; NOT alone excludes only'
const CATEGORY_HINT = 'category: needs an arXiv category, as in category:cs.LG or category:cs.*'
const CATEGORY = /^[a-z0-9][a-z0-9._-]*$/

interface Parsed {
  readonly node: Query
  /** Where the operand starts, for errors about it as a whole. */
  readonly column: number
}

type WordToken = Extract<LexToken, { type: 'word' }>

class Parser {
  private pos = 0
  /** The field being parsed inside of, which decides how words are normalised. */
  private field: TextField | null = null

  constructor(private readonly tokens: readonly LexToken[]) {}

  parseLine(): Query {
    const branches = this.parseOrBranches()
    const extra = this.peek()
    if (extra !== undefined) fail(extra.column, 'unbalanced parenthesis')
    const node = combine(
      'or',
      branches.map((b) => b.node),
    )
    if (!requiresSomething(node)) {
      const culprit =
        branches.length > 1 ? branches.find((b) => !requiresSomething(b.node)) : undefined
      if (culprit !== undefined) fail(culprit.column, OR_SIDE_REQUIRES_NOTHING)
      fail(branches[0]?.column ?? 1, NOTHING_REQUIRED)
    }
    return node
  }

  private peek(): LexToken | undefined {
    return this.tokens[this.pos]
  }

  private next(): LexToken | undefined {
    const token = this.tokens[this.pos]
    this.pos++
    return token
  }

  private startsOperand(token: LexToken | undefined): boolean {
    return (
      token !== undefined && token.type !== 'and' && token.type !== 'or' && token.type !== 'rparen'
    )
  }

  private parseOrBranches(): Parsed[] {
    const branches = [this.parseAnd()]
    for (let token = this.peek(); token?.type === 'or'; token = this.peek()) {
      this.next()
      if (!this.startsOperand(this.peek())) fail(token.column, 'OR needs something to its right')
      branches.push(this.parseAnd())
    }
    return branches
  }

  private parseAnd(): Parsed {
    const first = this.parseUnary()
    const children = [first.node]
    for (;;) {
      const token = this.peek()
      if (token?.type === 'and') {
        this.next()
        if (!this.startsOperand(this.peek())) fail(token.column, 'AND needs something to its right')
      } else if (!this.startsOperand(token)) {
        break
      }
      // An operand right after another one (a quoted phrase, a field, a group) is joined to
      // it by AND; plain words next to each other were already one phrase.
      children.push(this.parseUnary().node)
    }
    return { node: combine('and', children), column: first.column }
  }

  private parseUnary(): Parsed {
    const token = this.peek()
    if (token?.type === 'not' || token?.type === 'minus') {
      this.next()
      if (!this.startsOperand(this.peek())) {
        fail(token.column, `${token.type === 'not' ? 'NOT' : '-'} needs something to its right`)
      }
      const inner = this.parseUnary().node
      // NOT NOT x is x; keeping it would make "requires something" depend on counting NOTs.
      const node: Query = inner.kind === 'not' ? inner.child : { kind: 'not', child: inner }
      return { node, column: token.column }
    }
    return this.parsePrimary()
  }

  private parsePrimary(): Parsed {
    const token = this.next()
    if (token === undefined) return fail(1, INTERNAL_ERROR_REASON)
    switch (token.type) {
      case 'lparen':
        return { node: this.parseGroup(token.column), column: token.column }
      case 'quote':
        return { node: this.exactPhrase(token.raw, token.column), column: token.column }
      case 'word':
        return { node: this.keyPhrase(token), column: token.column }
      case 'field':
        return { node: this.parseField(token.field, token.column), column: token.column }
      case 'rparen':
        return fail(token.column, 'unbalanced parenthesis')
      case 'and':
        return fail(token.column, 'AND needs something to its left')
      case 'or':
        return fail(token.column, 'OR needs something to its left')
      default:
        return fail(token.column, INTERNAL_ERROR_REASON)
    }
  }

  private parseGroup(column: number): Query {
    if (this.peek()?.type === 'rparen') fail(column, 'empty parentheses')
    if (this.peek() === undefined) fail(column, 'unbalanced parenthesis')
    const branches = this.parseOrBranches()
    if (this.peek()?.type !== 'rparen') fail(column, 'unbalanced parenthesis')
    this.next()
    return combine(
      'or',
      branches.map((b) => b.node),
    )
  }

  /** Plain words next to each other form one key phrase. */
  private keyPhrase(first: WordToken): Query {
    const words = this.phraseWords(first)
    for (let token = this.peek(); token?.type === 'word'; token = this.peek()) {
      this.next()
      words.push(...this.phraseWords(token))
    }
    return phraseNode(words)
  }

  private phraseWords(token: WordToken): PhraseWord[] {
    // In names, a trailing "s" is part of the name (Williams), not a plural.
    const folded = this.field !== 'author'
    const tokens = tokenize(token.raw)
    return tokens.map((t, i) =>
      token.prefix && i === tokens.length - 1
        ? { text: t.exact, prefix: true }
        : { text: folded ? t.word : t.exact, prefix: false },
    )
  }

  private exactPhrase(raw: string, column: number): Query {
    const words = tokenize(raw).map((t) => t.exact)
    if (words.length === 0) fail(column, 'empty phrase')
    return { kind: 'exact', words }
  }

  private parseField(field: FieldName, column: number): Query {
    if (this.field !== null) fail(column, 'a field cannot be used inside another field')
    const value = this.peek()
    if (field === 'category') return this.parseCategory(value, column)
    if (value?.type === 'minus') fail(value.column, `put - before the field, as in -${field}:word`)
    const missing = `${field}: needs a word, a quoted phrase or a group after it`
    this.field = field
    try {
      if (value?.type === 'word') {
        // A field takes one word (`title:guardrail`); the words after it are a new operand.
        this.next()
        const words = this.phraseWords(value)
        if (words.length === 0) fail(column, missing)
        return { kind: 'field', field, query: phraseNode(words) }
      }
      if (value?.type === 'quote') {
        this.next()
        return { kind: 'field', field, query: this.exactPhrase(value.raw, value.column) }
      }
      if (value?.type === 'lparen') {
        this.next()
        return { kind: 'field', field, query: this.parseGroup(value.column) }
      }
      return fail(column, missing)
    } finally {
      this.field = null
    }
  }

  private parseCategory(value: LexToken | undefined, column: number): Query {
    if (value?.type !== 'word' && value?.type !== 'quote') {
      return fail(value?.column ?? column, CATEGORY_HINT)
    }
    this.next()
    const text = value.raw.normalize('NFKC').trim().toLowerCase()
    const prefix = value.type === 'word' && value.prefix
    if (!CATEGORY.test(text)) fail(value.column, CATEGORY_HINT)
    return { kind: 'category', value: text, prefix }
  }
}

/** `words` is never empty: the lexer drops runs without letters or digits. */
function phraseNode(words: readonly PhraseWord[]): Query {
  const [only] = words
  if (only === undefined || words.length > 1) return { kind: 'phrase', words }
  return only.prefix ? { kind: 'prefix', prefix: only.text } : { kind: 'term', word: only.text }
}

/** Builds an n-ary AND/OR, flattening nested ones of the same kind so that the AST is canonical. */
function combine(kind: 'and' | 'or', children: readonly Query[]): Query {
  const flat = children.flatMap((c) => (c.kind === kind ? c.children : [c]))
  const [only] = flat
  if (only !== undefined && flat.length === 1) return only
  return { kind, children: flat }
}

const LINE_BREAK = /[\n\r\u2028\u2029]/u

/**
 * Parses query text of any length: the canonical text that printQuery writes, which may be
 * longer than what the subscriber typed. Total: never throws.
 */
export function parseQuery(text: string): ParseResult {
  try {
    if (typeof text !== 'string') return { ok: false, error: lineError(1, 'empty interest') }
    const chars = [...text]
    const lineBreak = chars.findIndex((c) => LINE_BREAK.test(c))
    if (lineBreak >= 0) {
      return {
        ok: false,
        error: errorAt(lineBreak + 1, 'an interest is one line, but this has a line break'),
      }
    }
    const firstVisible = chars.findIndex((c) => c.trim() !== '')
    if (firstVisible < 0) return { ok: false, error: lineError(1, 'empty interest') }
    const tokens = lex(text)
    if (tokens.length === 0) {
      return { ok: false, error: errorAt(firstVisible + 1, 'no words to search for') }
    }
    return { ok: true, query: new Parser(tokens).parseLine() }
  } catch (e) {
    if (e instanceof QueryFailure) return { ok: false, error: e.error }
    return { ok: false, error: errorAt(1, INTERNAL_ERROR_REASON) }
  }
}

/**
 * Parses one interest line as a subscriber saves it: at most MAX_INTEREST_LENGTH characters
 * (trailing spaces not counted). Total: every input gives a result, never an exception.
 */
export function parseInterest(line: string): ParseResult {
  if (typeof line === 'string' && [...line.trimEnd()].length > MAX_INTEREST_LENGTH) {
    const reason = `line is longer than ${MAX_INTEREST_LENGTH} characters`
    return { ok: false, error: lineError(MAX_INTEREST_LENGTH + 1, reason) }
  }
  return parseQuery(line)
}

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  analyzePaper,
  evaluate,
  matches,
  normalizeWords,
  type PhraseWord,
  paperKeys,
  parseInterest,
  parseQuery,
  printQuery,
  type Query,
  requiredTermSets,
  requiresSomething,
  type TextField,
  tokenize,
} from '../../../services/domain/query/index.js'
import { isAscii } from '../../../services/domain/query/normalize.js'
import { INTERNAL_ERROR_REASON } from '../../../services/domain/query/parser.js'

// Pieces of interest lines, so that random lines are often valid and exercise the grammar;
// they include the characters that normalisation treats specially.
const pieces = [
  'AND',
  'OR',
  'NOT',
  'and',
  'not',
  '(',
  ')',
  '"',
  '\u201c',
  '-',
  '*',
  ':',
  '|',
  'title:',
  'abstract:',
  'author:',
  'category:',
  'cs.LG',
  'cs.*',
  'safety',
  'models',
  'model',
  'LLMs',
  'GPUs',
  'policies',
  'classes',
  'analyses',
  'reward-free',
  "model's",
  'ﬁne',
  'Straße',
  'İ',
  'Schrödinger',
  '扩散',
  'x',
  'y',
  '1',
]
const space = fc.constantFrom(' ', ' ', ' ', '', '\t', '\u3000')
const queryLike = fc
  .array(fc.tuple(fc.constantFrom(...pieces), space), { maxLength: 14 })
  .map((parts) => parts.map(([piece, gap]) => piece + gap).join(''))
const anyText = fc.string({ unit: 'binary', maxLength: 80 })
const lines = fc.oneof(queryLike, queryLike, anyText, fc.string({ maxLength: 40 }))

const paperWords = ['safety', 'models', 'model', 'llm', 'LLMs', 'GPU', 'policy', 'classes', 'x']
const textOf = fc
  .array(fc.constantFrom(...paperWords, '-', ',', 'fine', 'reward', 'free'), { maxLength: 12 })
  .map((words) => words.join(' '))
const papers = fc.record({
  title: fc.oneof(textOf, anyText),
  abstract: fc.oneof(textOf, anyText),
  authors: fc.array(fc.oneof(textOf, anyText), { maxLength: 3 }),
  categories: fc.array(fc.constantFrom('cs.LG', 'cs.AI', 'stat.ML', 'CS.lg', ''), {
    maxLength: 3,
  }),
})

describe('properties', () => {
  it('parseInterest never throws, and its errors have a reason and a column in the line', () => {
    fc.assert(
      fc.property(lines, (line) => {
        const result = parseInterest(line)
        if (!result.ok) {
          expect(result.error.reason).not.toBe(INTERNAL_ERROR_REASON)
          expect(result.error.column).toBeGreaterThanOrEqual(1)
          expect(result.error.column).toBeLessThanOrEqual([...line].length + 1)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('parse → print → parse gives the same AST', () => {
    fc.assert(
      fc.property(lines, (line) => {
        const first = parseInterest(line)
        if (!first.ok) return
        expect(requiresSomething(first.query)).toBe(true)
        const printed = printQuery(first.query)
        expect(parseQuery(printed)).toEqual(first)
        expect(printQuery(first.query)).toBe(
          printQuery((parseQuery(printed) as typeof first).query),
        )
      }),
      { numRuns: 3000 },
    )
  })

  it('normalising normalised text changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, queryLike, textOf), (text) => {
        const words = normalizeWords(text)
        expect(normalizeWords(words.join(' '))).toEqual(words)
      }),
      { numRuns: 3000 },
    )
  })

  // A no-break space is not ASCII (so the text takes the general path) and NFKC makes it a
  // plain space (so it changes no word and no AST): both paths must agree on ASCII text.
  const asciiText = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)) }),
    queryLike.filter(isAscii),
  )

  it('ASCII text tokenizes as it does through the general Unicode path', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        expect(tokenize(text)).toEqual(tokenize(`\u00a0${text}`).map((t) => ({ ...t })))
      }),
      { numRuns: 3000 },
    )
  })

  it('an ASCII line parses as it does through the general Unicode path', () => {
    fc.assert(
      fc.property(asciiText, (line) => {
        const fast = parseQuery(line)
        const general = parseQuery(`\u00a0${line}`)
        expect(general.ok).toBe(fast.ok)
        if (fast.ok && general.ok) expect(general.query).toEqual(fast.query)
        if (!fast.ok && !general.ok) {
          expect(general.error.reason).toBe(fast.error.reason)
          // Line-wide problems (an empty line) have no column worth shifting.
          const shift = fast.error.message === fast.error.reason ? 0 : 1
          expect(general.error.column).toBe(fast.error.column + shift)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('evaluate never throws, agrees with matches(), and reports words only on a match', () => {
    fc.assert(
      fc.property(lines, papers, (line, paper) => {
        const result = parseInterest(line)
        if (!result.ok) return
        const analyzed = analyzePaper(paper)
        const evaluation = evaluate(result.query, analyzed)
        expect(matches(result.query, analyzed)).toBe(evaluation.matched)
        if (!evaluation.matched) expect(evaluation.words).toEqual([])
      }),
      { numRuns: 3000 },
    )
  })

  it('every match is found through the keys of requiredTermSets()', () => {
    fc.assert(
      fc.property(lines, papers, (line, paper) => {
        const result = parseInterest(line)
        if (!result.ok) return
        const alternatives = requiredTermSets(result.query)
        expect(alternatives.length).toBeGreaterThan(0)
        for (const alternative of alternatives) expect(alternative.length).toBeGreaterThan(0)
        const analyzed = analyzePaper(paper)
        if (!matches(result.query, analyzed)) return
        const keys = paperKeys(analyzed)
        expect(alternatives.some((a) => a.every((k) => keys.has(k)))).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('printing arbitrary canonical ASTs', () => {
  // Words as the parser stores them: normalised, and folded where plurals are folded.
  const words = fc.constantFrom('safety', 'model', 'llm', 'reward', 'free', 'x', '2', 'and')
  const exactWords = fc.constantFrom('models', 'llms', 'classes', 'safety', 'not')
  const phraseWord: fc.Arbitrary<PhraseWord> = fc.record({ text: words, prefix: fc.boolean() })

  const leaf: fc.Arbitrary<Query> = fc.oneof(
    words.map((word): Query => ({ kind: 'term', word })),
    words.map((prefix): Query => ({ kind: 'prefix', prefix })),
    fc
      .array(phraseWord, { minLength: 2, maxLength: 3 })
      .map((w): Query => ({ kind: 'phrase', words: w })),
    fc
      .array(exactWords, { minLength: 1, maxLength: 3 })
      .map((w): Query => ({ kind: 'exact', words: w })),
  )
  const category: fc.Arbitrary<Query> = fc.record({
    kind: fc.constant('category' as const),
    value: fc.constantFrom('cs.lg', 'cs.', 'math-ph', 'cond-mat.str-el'),
    prefix: fc.boolean(),
  })

  const tree = (depth: number, field: boolean): fc.Arbitrary<Query> => {
    if (depth === 0) return field ? leaf : fc.oneof(leaf, category)
    const sub = tree(depth - 1, field)
    const nary = (kind: 'and' | 'or'): fc.Arbitrary<Query> =>
      fc
        .array(sub, { minLength: 2, maxLength: 3 })
        .filter((children) => children.every((c) => c.kind !== kind))
        .map((children): Query => ({ kind, children }))
    const options: fc.Arbitrary<Query>[] = [
      sub,
      nary('and'),
      nary('or'),
      sub.filter((c) => c.kind !== 'not').map((child): Query => ({ kind: 'not', child })),
    ]
    if (!field) {
      options.push(
        fc
          .tuple(fc.constantFrom<TextField>('title', 'abstract'), tree(depth - 1, true))
          .map(([f, query]): Query => ({ kind: 'field', field: f, query })),
      )
    }
    return fc.oneof(...options)
  }

  it('parses what it prints back to the same AST', () => {
    fc.assert(
      fc.property(
        tree(3, false).filter((q) => requiresSomething(q)),
        (query) => {
          expect(parseQuery(printQuery(query))).toEqual({ ok: true, query })
        },
      ),
      { numRuns: 2000 },
    )
  })
})

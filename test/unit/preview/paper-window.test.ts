import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compactPaper, expandPaper } from '../../../services/domain/preview/compact-paper.js'
import { WordDictionary } from '../../../services/domain/preview/dictionary.js'
import {
  type PaperWindow,
  WindowBuilder,
  type WindowPaper,
} from '../../../services/domain/preview/paper-window.js'
import {
  type AnalyzedPaper,
  analyzePaper,
  evaluate,
  parseQuery,
  type Query,
} from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'
import { LINES } from '../matching/lines.js'

// The preview window against the evaluator it stands in for: every query, on every paper,
// gives what evaluate() gives on analyzePaper() of the same paper.

const HOUR = 3600 * 1000
const START = Date.parse('2026-06-01T00:00:00Z')
const fixtures = loadFixturePapers().map((paper, i) => ({
  id: paper.key,
  paper,
  analysed: analyzePaper(paper),
  firstSeenAt: new Date(START + Math.floor(i / 3) * HOUR),
}))

function build(dictionary = new WordDictionary()): PaperWindow {
  const builder = new WindowBuilder(dictionary)
  for (const f of fixtures) {
    builder.add({
      id: f.id,
      title: f.paper.title,
      url: null,
      firstSeenAt: f.firstSeenAt,
      compact: compactPaper(f.analysed, dictionary),
    })
  }
  return builder.finish(new Date(START))
}

const window = build()

/** What evaluating the query on each paper directly gives, newest first. */
function bruteForce(query: Query, since: Date, limit: number) {
  const matched = fixtures
    .filter((f) => f.firstSeenAt >= since)
    .map((f) => ({ id: f.id, result: evaluate(query, f.analysed) }))
    .filter((m) => m.result.matched)
    .reverse()
  return {
    total: matched.length,
    newest: matched.slice(0, limit).map((m) => ({ id: m.id, words: m.result.words })),
  }
}

function searched(query: Query, since: Date, limit: number) {
  const found = window.search(query, since, limit)
  return {
    total: found.total,
    newest: found.newest.map((m) => ({ id: m.paper.id, words: m.words })),
  }
}

const cutoffs = [new Date(START), new Date(START + 20 * HOUR), new Date(START + 10_000 * HOUR)]
const parsed = LINES.flatMap((line) => {
  const result = parseQuery(line)
  return result.ok ? [{ line, query: result.query }] : []
})

describe('PaperWindow.search', () => {
  it('gives what evaluate() gives, for every test line, cut-off and number shown', () => {
    for (const { line, query } of parsed) {
      for (const since of cutoffs) {
        for (const limit of [0, 3, 20]) {
          expect(searched(query, since, limit), `${line} since ${since.toISOString()}`).toEqual(
            bruteForce(query, since, limit),
          )
        }
      }
    }
  })

  it('gives what evaluate() gives for lines combined with AND, OR and NOT', () => {
    const line = fc.constantFrom(...LINES)
    const combined = fc.oneof(
      fc.tuple(line, line).map(([a, b]) => `(${a}) AND (${b})`),
      fc.tuple(line, line).map(([a, b]) => `(${a}) OR (${b})`),
      fc.tuple(line, line).map(([a, b]) => `(${a}) AND NOT (${b})`),
      fc.tuple(line, line, line).map(([a, b, c]) => `(${a}) OR ((${b}) -(${c}))`),
    )
    fc.assert(
      fc.property(
        combined,
        fc.constantFrom(...cutoffs),
        fc.integer({ min: 0, max: 30 }),
        (text, since, limit) => {
          const result = parseQuery(text)
          if (!result.ok) return
          expect(searched(result.query, since, limit)).toEqual(
            bruteForce(result.query, since, limit),
          )
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps word ids when a window is rebuilt over the same dictionary', () => {
    const dictionary = new WordDictionary()
    build(dictionary)
    const size = dictionary.size
    const again = build(dictionary)
    expect(dictionary.size).toBe(size)
    const query = parseQuery('"large language models" OR unlearn*')
    if (!query.ok) throw new Error('test query does not parse')
    expect(again.search(query.query, new Date(START), 5)).toEqual(
      window.search(query.query, new Date(START), 5),
    )
  })

  it('refuses papers out of order of first sighting', () => {
    const dictionary = new WordDictionary()
    const builder = new WindowBuilder(dictionary)
    const paper = (id: string, at: number): WindowPaper => ({
      id,
      title: id,
      url: null,
      firstSeenAt: new Date(at),
      compact: compactPaper(analyzePaper({ title: id, abstract: '' }), dictionary),
    })
    builder.add(paper('b', START + HOUR))
    expect(() => builder.add(paper('a', START))).toThrow(/out of order: a was first seen before b/)
  })
})

describe('compactPaper', () => {
  it('expands back to exactly the analysed paper', () => {
    const dictionary = new WordDictionary()
    const plain = (paper: AnalyzedPaper) => ({
      text: {
        titleLength: paper.text.titleLength,
        folded: new Map(paper.text.folded),
        exact: new Map(paper.text.exact),
        surface: [...paper.text.surface],
        foldedAt: [...paper.text.foldedAt],
        vocabulary: [...paper.text.vocabulary],
      },
      authors: paper.authors,
      categories: paper.categories,
    })
    for (const f of fixtures) {
      const expanded = expandPaper(compactPaper(f.analysed, dictionary), dictionary)
      expect(plain(expanded)).toEqual(plain(f.analysed))
    }
  })

  it('looks words up without building the whole map, as a Map would answer', () => {
    const dictionary = new WordDictionary()
    const analysed = analyzePaper({ title: 'Safe agents', abstract: 'Agents act safely.' })
    const expanded = expandPaper(compactPaper(analysed, dictionary), dictionary)
    expect(expanded.text.folded.get('agent')).toEqual([1, 3])
    expect(expanded.text.exact.get('agents')).toEqual([1, 3])
    expect(expanded.text.folded.get('')).toBeUndefined()
    expect(expanded.text.folded.get('unknown')).toBeUndefined()
    expect(expanded.text.folded.has('act')).toBe(true)
    expect([...expanded.text.folded.keys()]).toEqual([...analysed.text.folded.keys()])
    expect(expanded.text.folded.size).toBe(analysed.text.folded.size)
  })
})

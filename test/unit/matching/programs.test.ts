import { describe, expect, it } from 'vitest'
import { Percolator } from '../../../services/domain/matching/index.js'
import { keyProgram } from '../../../services/domain/matching/programs.js'
import {
  analyzePaper,
  evaluate,
  parseQuery,
  printQuery,
} from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../query/fixture-papers.js'
import { LINES } from './lines.js'

// Lines decided by their index keys alone are verified by a key program, not the AST; what
// they match and the words they report must be exactly what evaluate() says.

const EDGE_LINES = [
  // A phrase must not run from the end of the title into the abstract.
  'memory bottleneck',
  'agents agents',
  '"Agents" OR agent',
  'category:cs.* AND (diffusion OR "language models")',
  'category:cs.LG -"reinforcement learning"',
  'world model* OR "world models"',
  '(safety AND NOT jailbreak) OR (robot* AND manipulation)',
]

const parsed = [...LINES, ...EDGE_LINES].flatMap((line) => {
  const result = parseQuery(line)
  return result.ok ? [{ line, query: result.query }] : []
})

const papers = [
  ...loadFixturePapers(),
  {
    title: 'Breaking the Memory',
    abstract: 'Bottleneck of agents agents: language models and world models in cs.',
    authors: ['A. Author'],
    categories: ['cs.LG'],
  },
]

describe('key programs', () => {
  it('cover most lines: only fields, authors and long or prefixed phrases need the AST', () => {
    const compiled = parsed.filter((p) => keyProgram(p.query) !== null)
    expect(compiled.length / parsed.length).toBeGreaterThan(0.5)
    const author = parseQuery('author:lecun')
    expect(author.ok && keyProgram(author.query)).toBe(null)
  })

  it('match exactly the papers evaluate() matches, with the same words in the same order', () => {
    const percolator = new Percolator()
    for (const p of parsed) percolator.addLine(p.line)
    for (const paper of papers) {
      const analyzed = analyzePaper(paper)
      const expected = new Map<string, string[]>()
      for (const p of parsed) {
        const { matched, words } = evaluate(p.query, analyzed)
        if (matched) expected.set(printQuery(p.query), words)
      }
      const found = new Map(percolator.matchQueries(paper).map((m) => [m.query, m.words]))
      expect(found).toEqual(expected)
    }
  })
})

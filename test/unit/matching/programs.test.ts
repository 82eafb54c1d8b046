import { describe, expect, it } from 'vitest'
import { Percolator } from '../../../services/domain/matching/index.js'
import { AND, CHECK, keyProgram } from '../../../services/domain/matching/programs.js'
import {
  analyzePaper,
  evaluate,
  parseQuery,
  printQuery,
} from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'
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
  // Longer phrases: decided by their runs of three words when the paper lacks one, else by
  // the AST (the fourth word, a phrase running into the abstract, a prefix).
  'language models and world models',
  'language models and world peace OR memory',
  '"language models and world models" OR agents',
  'agents OR language models and world models',
  'breaking the memory bottleneck',
  'memory bottleneck of agents -"models and world models in"',
  'title:memory OR author:author',
  'author:author AND NOT (world models AND language models and world)',
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
  it('cover most lines; a part keys cannot decide becomes a check of keys it needs', () => {
    const compiled = parsed.filter((p) => keyProgram(p.query) !== null)
    expect(compiled.length / parsed.length).toBeGreaterThan(0.9)
    const program = (line: string) => {
      const result = parseQuery(line)
      return result.ok ? keyProgram(result.query) : undefined
    }
    expect(program('author:lecun')).toEqual([CHECK, 'author:lecun'])
    expect(program('"a b c d"')).toEqual([
      AND,
      6,
      CHECK,
      'exact-phrase:a b c',
      CHECK,
      'exact-phrase:b c d',
    ])
    // No single set of keys is needed by every match: the whole line goes to the AST.
    expect(program('title:(safety OR jailbreak)')).toBe(null)
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

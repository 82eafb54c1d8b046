import { describe, expect, it } from 'vitest'
import {
  analyzePaper,
  evaluate,
  matches,
  type PaperFields,
  parseInterest,
  type Query,
} from '../../../services/domain/query/index.js'

function matched(line: string, paper: PaperFields): boolean {
  const result = parseInterest(line)
  if (!result.ok) throw new Error(`${line}: ${result.error.message}`)
  const analyzed = analyzePaper(paper)
  const evaluation = evaluate(result.query, analyzed)
  expect(matches(result.query, analyzed)).toBe(evaluation.matched)
  return evaluation.matched
}

const paper = (title: string, abstract = '', more: Partial<PaperFields> = {}): PaperFields => ({
  title,
  abstract,
  ...more,
})

describe('words and phrases', () => {
  it('matches whole words only', () => {
    expect(matched('RL', paper('Offline RL at scale'))).toBe(true)
    expect(matched('RL', paper('See the URL', 'A world model'))).toBe(false)
    expect(matched('risk', paper('Risky investors'))).toBe(false)
    expect(matched('risk', paper('Tail risks'))).toBe(true)
  })

  it('matches a key phrase in order and next to each other, plurals folded', () => {
    const p = paper('Policy optimization', 'We study reinforcement-learning agents.')
    expect(matched('reinforcement learning', p)).toBe(true)
    expect(matched('learning reinforcement', p)).toBe(false)
    expect(matched('reinforcement agents', p)).toBe(false)
    expect(matched('policies optimizations', p)).toBe(true)
  })

  it('matches a quoted phrase exactly, plurals not folded', () => {
    const p = paper('Aligning Large Language Models')
    expect(matched('"large language models"', p)).toBe(true)
    expect(matched('"large language model"', p)).toBe(false)
    expect(matched('large language model', p)).toBe(true)
  })

  it('never lets a phrase run from the title into the abstract', () => {
    const p = paper('Introduction to Multi-Armed Bandits', 'Multi-armed bandits are simple.')
    expect(matched('bandits multi', p)).toBe(false)
    expect(matched('"bandits multi"', p)).toBe(false)
    expect(matched('bandit* multi', p)).toBe(false)
    expect(matched('multi armed bandits', p)).toBe(true)
  })

  it('matches a prefix against the word as written and as folded', () => {
    const p = paper('Safety policies for unlearning')
    expect(matched('unlearn*', p)).toBe(true)
    expect(matched('polic*', p)).toBe(true)
    expect(matched('policy*', p)).toBe(true)
    expect(matched('policies*', p)).toBe(true)
    expect(matched('safety polic*', p)).toBe(true)
    expect(matched('policyx*', p)).toBe(false)
  })

  it('treats lower-case and/or/not as words', () => {
    expect(matched('safety and reasoning', paper('Safety and reasoning'))).toBe(true)
    expect(matched('safety and reasoning', paper('Safety, reasoning and more'))).toBe(false)
  })
})

describe('operators', () => {
  const p = paper('Diffusion models for video', 'We avoid any survey of flows.')

  it('evaluates AND, OR, NOT and groups', () => {
    expect(matched('diffusion AND video', p)).toBe(true)
    expect(matched('diffusion AND audio', p)).toBe(false)
    expect(matched('audio OR video', p)).toBe(true)
    expect(matched('diffusion NOT survey', p)).toBe(false)
    expect(matched('diffusion -audio', p)).toBe(true)
    expect(matched('(flow OR audio) AND video', p)).toBe(true)
    expect(matched('(flow OR audio) AND speech', p)).toBe(false)
    expect(matched('speech OR diffusion -survey', p)).toBe(false)
    expect(matched('diffusion OR speech -survey', p)).toBe(true)
  })
})

describe('fields', () => {
  const p = paper('A predictive guardrail', 'Agents need safety.', {
    authors: ['Yann LeCun', 'Ada Lovelace-Byron', 'Jürgen Schmidhuber', 'Serena Williams'],
    categories: ['cs.LG', 'stat.ML'],
  })

  it('restricts to the title or the abstract', () => {
    expect(matched('title:guardrail', p)).toBe(true)
    expect(matched('abstract:guardrail', p)).toBe(false)
    expect(matched('abstract:(agent safety)', p)).toBe(false)
    expect(matched('abstract:(agents OR guardrail)', p)).toBe(true)
    expect(matched('title:(predictive guardrail*)', p)).toBe(true)
    expect(matched('title:"predictive guardrails"', p)).toBe(false)
  })

  it('matches all words of author: within one name, in any order, with initials', () => {
    expect(matched('author:lecun', p)).toBe(true)
    expect(matched('author:"Yann LeCun"', p)).toBe(true)
    expect(matched('author:"LeCun, Yann"', p)).toBe(true)
    expect(matched('author:"Y. LeCun"', p)).toBe(true)
    expect(matched('author:"Yann Lovelace"', p)).toBe(false)
    expect(matched('author:yann AND author:lovelace', p)).toBe(true)
    expect(matched('author:schmidhuber', p)).toBe(true)
    expect(matched('author:"Jurgen"', p)).toBe(true)
    expect(matched('author:lovelace', p)).toBe(true)
    expect(matched('author:lovel*', p)).toBe(true)
    expect(matched('author:williams', p)).toBe(true)
    expect(matched('author:william', p)).toBe(false)
    expect(matched('author:guardrail', p)).toBe(false)
    expect(matched('guardrail -author:lecun', p)).toBe(false)
  })

  it('matches categories exactly, ignoring case, or by group', () => {
    expect(matched('category:cs.LG', p)).toBe(true)
    expect(matched('category:CS.lg', p)).toBe(true)
    expect(matched('category:cs.L', p)).toBe(false)
    expect(matched('category:cs.AI', p)).toBe(false)
    expect(matched('category:cs.*', p)).toBe(true)
    expect(matched('category:stat.*', p)).toBe(true)
    expect(matched('category:math.*', p)).toBe(false)
    expect(matched('category:"stat.ML"', p)).toBe(true)
  })
})

describe('robustness', () => {
  it('analyses malformed papers as empty', () => {
    const broken = { title: 42, abstract: null, authors: 'x', categories: [null, 'cs.AI'] }
    const analyzed = analyzePaper(broken as unknown as PaperFields)
    expect(analyzed.text.vocabulary).toEqual([])
    expect(analyzed.authors).toEqual([])
    expect(analyzed.categories).toEqual(['cs.ai'])
  })

  it('does not throw on a malformed query', () => {
    const analyzed = analyzePaper(paper('a'))
    const bad = [
      { kind: 'nonsense' },
      { kind: 'and', children: null },
      { kind: 'phrase', words: [] },
      null,
    ] as unknown as Query[]
    for (const q of bad) {
      expect(evaluate(q, analyzed)).toEqual({ matched: false, words: [] })
      expect(matches(q, analyzed)).toBe(false)
    }
  })
})

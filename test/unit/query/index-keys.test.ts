import { describe, expect, it } from 'vitest'
import {
  analyzePaper,
  paperKeys,
  parseInterest,
  type Query,
  requiredTermSets,
  requiresSomething,
} from '../../../services/domain/query/index.js'

function required(line: string): string[][] {
  const result = parseInterest(line)
  if (!result.ok) throw new Error(`${line}: ${result.error.message}`)
  return requiredTermSets(result.query)
}

describe('requiredTermSets', () => {
  it.each<[string, string[][]]>([
    ['diffusion', [['word:diffusion']]],
    ['Large Language Models', [['phrase:large language model']]],
    ['"large language models"', [['exact-phrase:large language models']]],
    [
      'vision language model agents',
      [['word:vision', 'word:language', 'word:model', 'word:agent']],
    ],
    ['reinforcement learn* policy', [['word:reinforcement', 'prefix:learn', 'word:policy']]],
    ['title:"world models"', [['exact-phrase:world models']]],
    ['unlearn*', [['prefix:unlearn']]],
    ['reinforcement learn*', [['word:reinforcement', 'prefix:learn']]],
    ['safety AND reasoning', [['word:safety', 'word:reasoning']]],
    [
      'RLHF OR "preference optimization"',
      [['word:rlhf'], ['exact-phrase:preference optimization']],
    ],
    ['alignment NOT survey', [['word:alignment']]],
    [
      '(diffusion OR flow) AND video',
      [
        ['word:diffusion', 'word:video'],
        ['word:flow', 'word:video'],
      ],
    ],
    ['(a OR b) (c OR d OR e)', [['word:a'], ['word:b']]],
    ['a AND (b OR NOT c)', [['word:a']]],
    ['title:guardrail', [['word:guardrail']]],
    ['author:"Yann LeCun"', [['author:yann', 'author:lecun']]],
    ['author:"Y. LeCun"', [['author-prefix:y', 'author:lecun']]],
    ['author:lec*', [['author-prefix:lec']]],
    ['category:cs.LG', [['category:cs.lg']]],
    ['category:cs.*', [['category-prefix:cs.']]],
    ['safety safety', [['phrase:safety safety']]],
  ])('%s → %j', (line, expected) => {
    expect(required(line)).toEqual(expected)
  })

  it('gives nothing for a query that requires nothing (which parseInterest rejects)', () => {
    const q: Query = { kind: 'not', child: { kind: 'term', word: 'survey' } }
    expect(requiresSomething(q)).toBe(false)
    expect(requiredTermSets(q)).toEqual([])
  })

  it('uses keys that paperKeys() produces for a matching paper', () => {
    const keys = paperKeys(
      analyzePaper({
        title: 'Machine Unlearning for LLMs',
        abstract: 'We study reinforcement learning.',
        authors: ['Yann LeCun'],
        categories: ['cs.LG'],
      }),
    )
    for (const key of [
      'word:llm',
      'exact:llms',
      'prefix:unlearn',
      'prefix:l',
      'word:reinforcement',
      'author:lecun',
      'author-prefix:y',
      'category:cs.lg',
      'category-prefix:cs.',
    ]) {
      expect(keys.has(key), key).toBe(true)
    }
    expect(keys.has('word:llms')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import {
  analyzePaper,
  evaluate,
  matches,
  paperKeys,
  parseInterest,
  parseQuery,
  printQuery,
  type Query,
  requiredTermSets,
} from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'

// Interest lines matched against real papers: seed-papers.json (keyed seed#<index>), the
// Hugging Face daily papers of 2026-06-12 and two arXiv API feeds (keyed by arXiv id; only
// these have categories). Each expected set was checked by reading the texts and against an
// independent regular-expression search of the fixtures.

const papers = loadFixturePapers().map((p) => ({ key: p.key, paper: analyzePaper(p) }))

function query(line: string): Query {
  const result = parseInterest(line)
  if (!result.ok) throw new Error(`${line}: ${result.error.message}`)
  return result.query
}

const table: [string, string[]][] = [
  [
    'reinforcement learning',
    [
      'seed#4',
      'seed#9',
      'seed#17',
      'seed#24',
      'seed#26',
      'seed#28',
      'seed#33',
      '2606.09304',
      '2606.08063',
      '2606.08039',
      '2606.13106',
      '2606.13677',
    ],
  ],
  [
    '"large language models"',
    [
      'seed#1',
      'seed#4',
      'seed#6',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#17',
      'seed#23',
      'seed#29',
      'seed#32',
      'seed#33',
      '2606.00467',
      '2606.11409',
      '2606.12451',
      '2606.13572',
      '2606.08063',
      '2606.13120',
    ],
  ],
  [
    'large language model',
    [
      'seed#1',
      'seed#4',
      'seed#6',
      'seed#7',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#17',
      'seed#23',
      'seed#29',
      'seed#32',
      'seed#33',
      '2606.00467',
      '2606.11409',
      '2606.12451',
      '2606.13572',
      '2606.08063',
      '2606.13120',
      '2606.13681',
    ],
  ],
  ['"large language model"', ['seed#7', '2606.13681']],
  [
    'LLMs',
    [
      'seed#1',
      'seed#6',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#15',
      'seed#16',
      'seed#17',
      'seed#22',
      'seed#23',
      'seed#29',
      'seed#32',
      '2606.00467',
      '2606.12730',
      '2606.13174',
      '2606.10423',
      '2606.07867',
      '2606.11409',
      '2606.12451',
      '2606.13289',
      '2606.12243',
      '2606.13392',
      '2606.13681',
    ],
  ],
  [
    '"LLMs"',
    [
      'seed#1',
      'seed#6',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#17',
      'seed#22',
      'seed#23',
      'seed#29',
      'seed#32',
      '2606.00467',
      '2606.12730',
      '2606.11409',
      '2606.12451',
      '2606.12243',
      '2606.13392',
    ],
  ],
  ['unlearn*', ['seed#14']],
  ['safety AND reasoning', ['seed#4', 'seed#5', 'seed#6', 'seed#22', 'seed#25', 'seed#32']],
  ['RLHF OR "preference optimization"', ['seed#5', 'seed#19', 'seed#24']],
  [
    'alignment NOT survey',
    [
      'seed#1',
      'seed#2',
      'seed#4',
      'seed#5',
      'seed#6',
      'seed#15',
      'seed#19',
      'seed#22',
      'seed#29',
      'seed#33',
      '2606.00467',
      '2606.12730',
      '2606.13594',
      '2606.11409',
      '2606.06113',
      '2606.11096',
      '2606.09304',
      '2606.08063',
      '2606.08788',
    ],
  ],
  [
    'alignment -survey',
    [
      'seed#1',
      'seed#2',
      'seed#4',
      'seed#5',
      'seed#6',
      'seed#15',
      'seed#19',
      'seed#22',
      'seed#29',
      'seed#33',
      '2606.00467',
      '2606.12730',
      '2606.13594',
      '2606.11409',
      '2606.06113',
      '2606.11096',
      '2606.09304',
      '2606.08063',
      '2606.08788',
    ],
  ],
  ['(diffusion OR flow) AND video', ['2606.13501']],
  ['title:guardrail', ['seed#3', 'seed#32']],
  ['abstract:guardrail', ['seed#3', 'seed#15', 'seed#32']],
  ['guardrail* -title:guardrail*', ['seed#15']],
  [
    'RL',
    [
      'seed#4',
      'seed#5',
      'seed#19',
      'seed#24',
      'seed#26',
      'seed#28',
      'seed#29',
      '2606.11409',
      '2606.08039',
      '2606.13106',
    ],
  ],
  [
    'RL -RLHF',
    ['seed#4', 'seed#5', 'seed#26', 'seed#28', 'seed#29', '2606.11409', '2606.08039', '2606.13106'],
  ],
  ['URL', []],
  [
    'world',
    [
      'seed#3',
      'seed#6',
      'seed#15',
      'seed#30',
      'seed#32',
      '2606.08063',
      '2606.13120',
      '2606.13681',
      '2606.13515',
    ],
  ],
  ['reward-free', ['seed#26']],
  ['reward free', ['seed#26']],
  ['horizon-free', ['seed#26', 'seed#28']],
  ['title:horizon-free AND abstract:"reward-free"', ['seed#26']],
  [
    'risk',
    [
      'seed#0',
      'seed#1',
      'seed#2',
      'seed#3',
      'seed#4',
      'seed#5',
      'seed#6',
      'seed#7',
      'seed#8',
      'seed#9',
      'seed#10',
      'seed#11',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#15',
      'seed#16',
      'seed#17',
      'seed#18',
      'seed#23',
      'seed#25',
      'seed#29',
      'seed#30',
      'seed#31',
      'seed#32',
      'seed#33',
      'seed#35',
      '2606.11409',
      '2606.11662',
    ],
  ],
  ['risky', ['seed#0', 'seed#11', 'seed#23']],
  [
    'title:risk',
    [
      'seed#2',
      'seed#7',
      'seed#10',
      'seed#13',
      'seed#14',
      'seed#15',
      'seed#17',
      'seed#18',
      'seed#23',
      'seed#25',
      'seed#29',
      '2606.11409',
    ],
  ],
  [
    'title:risk*',
    [
      'seed#0',
      'seed#2',
      'seed#7',
      'seed#10',
      'seed#11',
      'seed#13',
      'seed#14',
      'seed#15',
      'seed#17',
      'seed#18',
      'seed#23',
      'seed#25',
      'seed#29',
      '2606.11409',
    ],
  ],
  ['"world model"', ['seed#3']],
  ['"world models"', ['seed#3']],
  ['world model', ['seed#3']],
  ['jailbreak', ['seed#5', 'seed#6', 'seed#22', 'seed#25', 'seed#29', '2606.11409']],
  ['jailbreak*', ['seed#4', 'seed#5', 'seed#6', 'seed#22', 'seed#25', 'seed#29', '2606.11409']],
  ['"chain-of-thought"', ['seed#5', 'seed#25', '2606.13106']],
  ['chain of thought', ['seed#5', 'seed#25', '2606.13106']],
  ['mixture of experts', ['2606.00467']],
  ['GPU', ['seed#7', 'seed#33', '2606.10896', '2606.13392', '2606.08039', '2606.13501']],
  ['gpus', ['seed#7', 'seed#33', '2606.10896', '2606.13392', '2606.08039', '2606.13501']],
  [
    'policy',
    [
      'seed#3',
      'seed#17',
      'seed#19',
      'seed#25',
      'seed#26',
      'seed#32',
      '2606.08103',
      '2606.09290',
      '2606.09304',
      '2606.08039',
      '2606.13106',
      '2606.13677',
      '2606.13515',
      '2606.13501',
    ],
  ],
  [
    'polic*',
    [
      'seed#3',
      'seed#17',
      'seed#19',
      'seed#25',
      'seed#26',
      'seed#32',
      '2606.08103',
      '2606.09290',
      '2606.09304',
      '2606.08039',
      '2606.13106',
      '2606.13677',
      '2606.13515',
      '2606.13501',
    ],
  ],
  ['policies*', ['seed#3', 'seed#32', '2606.08039', '2606.13677']],
  ['bias', ['seed#13', '2606.12730']],
  [
    'analysis',
    [
      'seed#7',
      'seed#12',
      'seed#13',
      'seed#14',
      'seed#16',
      'seed#25',
      'seed#27',
      'seed#28',
      '2606.13594',
      '2606.07867',
      '2606.09446',
      '2606.08063',
      '2606.13681',
      '2606.13106',
    ],
  ],
  [
    'process',
    [
      'seed#0',
      'seed#5',
      'seed#6',
      'seed#10',
      'seed#14',
      'seed#22',
      'seed#23',
      'seed#26',
      'seed#28',
      'seed#32',
      '2606.13677',
    ],
  ],
  [
    'safe',
    [
      'seed#3',
      'seed#5',
      'seed#6',
      'seed#16',
      'seed#19',
      'seed#22',
      'seed#25',
      'seed#31',
      '2606.12730',
      '2606.07867',
    ],
  ],
  ['naïve', ['seed#2']],
  [
    'ﬁne-tuning',
    ['seed#4', 'seed#9', 'seed#10', 'seed#33', '2606.10423', '2606.08103', '2606.08063'],
  ],
  [
    'fine tuning',
    ['seed#4', 'seed#9', 'seed#10', 'seed#33', '2606.10423', '2606.08103', '2606.08063'],
  ],
  ['state-of-the-art', ['seed#0', 'seed#1', 'seed#6', '2606.12488', '2606.11096', '2606.08063']],
  ['"state of the art"', ['seed#0', 'seed#1', 'seed#6', '2606.12488', '2606.11096', '2606.08063']],
  ['zero-shot', ['2606.00467', '2606.13677']],
  ['k-means', ['2606.10896']],
  ['CUAs', ['seed#3']],
  ['MDPs', ['seed#24', 'seed#26', 'seed#28']],
  ['"MDPs"', ['seed#26', 'seed#28']],
  ['LMDPs', ['seed#28']],
  ['markov decision process', ['seed#26', 'seed#28']],
  ['"markov decision processes"', ['seed#26', 'seed#28']],
  ['"markov decision process"', []],
  ['regret bound*', ['seed#21', 'seed#24', 'seed#28']],
  ['"regret bound"', ['seed#24', 'seed#28']],
  [
    'monte carlo',
    [
      'seed#2',
      'seed#12',
      'seed#35',
      '1201.4869',
      '1005.5383',
      '1303.6954',
      '1312.6177',
      '1412.6529',
      'cond-mat/0607501',
    ],
  ],
  ['"Monte Carlo" -quantum', ['seed#2', 'seed#12', 'seed#35']],
  ['luttinger liquid', ['1201.4869', '1005.5383', '1303.6954', '1412.6529']],
  ['superfluid* OR supersolid', ['1201.4869', '1303.6954', 'cond-mat/0607501']],
  ['entropy collapse', ['seed#17', 'seed#19']],
  ['entropy collapse -RLHF', ['seed#17']],
  ['"reward model" OR "reward models"', ['seed#1', 'seed#4', 'seed#22']],
  ['reward model', ['seed#1', 'seed#4', 'seed#22']],
  ['speculative decoding OR "sparse attention"', ['2606.12243', '2606.13392']],
  ['title:"sparse attention"', ['2606.13392']],
  ['multi armed bandits', ['seed#20']],
  ['bandits multi armed', []],
  ['title:bandits multi', ['seed#20']],
  ['title:agents safety', ['seed#3', 'seed#16', '2606.07867']],
  [
    'title:(safety OR safe) AND abstract:jailbreak*',
    ['seed#4', 'seed#5', 'seed#6', 'seed#22', 'seed#25'],
  ],
  [
    'title:(LLM OR LLMs) AND (risk OR safety)',
    ['seed#12', 'seed#14', 'seed#15', 'seed#17', 'seed#22', 'seed#23', '2606.07867'],
  ],
  ['(unlearning OR forgetting) AND LLM', ['seed#14']],
  [
    'LLM AND (agent OR agents) AND NOT safety',
    ['2606.13174', '2606.10423', '2606.12451', '2606.13681'],
  ],
  [
    'memory AND agent* AND NOT (safety OR risk)',
    ['2606.13174', '2606.10423', '2606.13572', '2606.13392', '2606.13681'],
  ],
  ['memory agents', []],
  ['author:alvarez', ['2606.00467', '2606.12730']],
  ['author:"R. Michael Alvarez"', ['2606.00467', '2606.12730']],
  ['author:"Alvarez, Michael"', ['2606.00467', '2606.12730']],
  ['author:"Rafal Alvarez"', []],
  ['author:"Yang He"', ['2606.12303', '2606.12243']],
  ['author:Boglarka', ['2606.11409']],
  [
    'author:li',
    [
      '2606.08103',
      '2606.13289',
      '2606.12575',
      '2606.13392',
      '2606.09290',
      '2606.09304',
      '2606.13681',
      '2606.13106',
      '2606.13515',
    ],
  ],
  ['author:"Yang Li"', ['2606.13289']],
  ['author:"Y. Li"', ['2606.08103', '2606.13289']],
  [
    'author:xu*',
    [
      '2606.12303',
      '2606.13289',
      '2606.12243',
      '2606.13392',
      '2606.09290',
      '2606.09304',
      '2606.13681',
    ],
  ],
  ['author:"y xu"', ['2606.12303', '2606.12243', '2606.13392']],
  [
    'author:(wang OR zhang) AND reasoning',
    [
      '2606.13594',
      '2606.10423',
      '2606.11662',
      '2606.13392',
      '2606.09290',
      '2606.09304',
      '2606.13120',
    ],
  ],
  [
    'author:"del maestro"',
    [
      '1201.4869',
      'cond-mat/0412498',
      'cond-mat/0603029',
      '1005.5383',
      '1303.6954',
      '1312.6177',
      '1412.6529',
      'cond-mat/0607501',
      'cond-mat/0702661',
      '0807.2873',
    ],
  ],
  ['author:"Karen Liu"', ['2606.13677']],
  ['author:"Pieter Abbeel" manipulation', ['2606.13677']],
  ['category:cs.LG', ['2606.13677', '2606.13591', '2606.13568', '2606.13515', '2606.13501']],
  ['category:cs.RO', ['2606.13677', '2606.13515']],
  ['category:math-ph', ['2606.13568']],
  [
    'category:cs.RO OR category:cond-mat.str-el',
    ['2606.13677', '2606.13515', 'cond-mat/0412498', 'cond-mat/0603029', 'cond-mat/0607501'],
  ],
  ['category:cs.LG -category:cs.AI', ['2606.13568', '2606.13515', '2606.13501']],
  ['category:cs.* AND manipulation', ['2606.13677']],
  [
    'category:cond-mat.*',
    [
      '1201.4869',
      'cond-mat/0412498',
      'cond-mat/0603029',
      '1005.5383',
      '1303.6954',
      '1312.6177',
      '1412.6529',
      'cond-mat/0607501',
      'cond-mat/0702661',
      '0807.2873',
    ],
  ],
  ['category:cond-mat.str-el', ['cond-mat/0412498', 'cond-mat/0603029', 'cond-mat/0607501']],
]

describe('matching real papers', () => {
  it('loads every fixture paper', () => {
    expect(papers).toHaveLength(36 + 30 + 5 + 10)
    expect(table.length).toBeGreaterThanOrEqual(60)
  })

  it.each(table)('%s', (line, expected) => {
    const q = query(line)
    const found = papers.filter((p) => evaluate(q, p.paper).matched).map((p) => p.key)
    expect(found).toEqual(expected)
  })

  it('agrees between evaluate() and matches(), and after printing and parsing again', () => {
    for (const [line] of table) {
      const q = query(line)
      const reparsed = parseQuery(printQuery(q))
      expect(reparsed).toEqual({ ok: true, query: q })
      for (const p of papers) expect(matches(q, p.paper)).toBe(evaluate(q, p.paper).matched)
    }
  })

  it('finds every match through the index keys of requiredTermSets()', () => {
    const keysOf = new Map(papers.map((p) => [p.key, paperKeys(p.paper)]))
    for (const [line, expected] of table) {
      const alternatives = requiredTermSets(query(line))
      expect(alternatives.length).toBeGreaterThan(0)
      for (const key of expected) {
        const keys = keysOf.get(key) ?? new Set<string>()
        const indexed = alternatives.some(
          (alternative) => alternative.length > 0 && alternative.every((k) => keys.has(k)),
        )
        expect(indexed, `${line} on ${key}`).toBe(true)
      }
    }
  })
})

describe('what matched, for highlighting', () => {
  const words = (line: string, key: string): string[] => {
    const paper = papers.find((p) => p.key === key)
    if (paper === undefined) throw new Error(key)
    return evaluate(query(line), paper.paper).words
  }

  it('reports the words as they appear, singular and plural', () => {
    expect(words('risk', 'seed#2')).toEqual(['risks', 'risk'])
    expect(words('world model', 'seed#3')).toEqual(['world models', 'world model'])
    expect(words('reward-free', 'seed#26')).toEqual(['reward free'])
  })

  it('reports the words a prefix found', () => {
    expect(words('title:risk*', 'seed#17')).toEqual(['riskpo', 'risk'])
    expect(words('superfluid* OR supersolid', '1303.6954')).toEqual(['superfluidity', 'superfluid'])
  })

  it('reports every side of an OR that matched, and nothing under NOT', () => {
    expect(words('(unlearning OR forgetting) AND LLM', 'seed#14')).toEqual([
      'unlearning',
      'forgetting',
      'llms',
      'llm',
    ])
    expect(words('entropy collapse -RLHF', 'seed#17')).toEqual(['entropy collapse'])
  })

  it('reports author names and categories', () => {
    expect(words('author:"Y. Li"', '2606.13289')).toEqual(['yang li'])
    expect(words('category:cs.LG -category:cs.AI', '2606.13568')).toEqual(['cs.lg'])
  })

  it('reports nothing when the paper does not match', () => {
    expect(words('diffusion', 'seed#0')).toEqual([])
  })
})

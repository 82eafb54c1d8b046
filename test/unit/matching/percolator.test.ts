import { describe, expect, it } from 'vitest'
import {
  type InterestSource,
  Percolator,
  sampleFrequency,
} from '../../../services/domain/matching/index.js'
import { analyzePaper } from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../query/fixture-papers.js'
import { bruteForce, canonical } from './brute-force.js'

const papers = loadFixturePapers()
const paperByKey = (key: string) => {
  const paper = papers.find((p) => p.key === key)
  if (paper === undefined) throw new Error(key)
  return paper
}
// seed#14 is about unlearning in LLMs; seed#26 about reward-free RL in MDPs.
const unlearningPaper = paperByKey('seed#14')
const rewardFreePaper = paperByKey('seed#26')

const interest = (interestId: number, line: string): InterestSource => ({
  kind: 'interest',
  interestId,
  line,
})
const topic = (slug: string, lines: readonly string[]): InterestSource[] =>
  lines.map((line) => ({ kind: 'topic', slug, line }))

const SAFETY = ['jailbreak*', 'machine unlearning', '(unlearning OR forgetting) AND LLM']

describe('Percolator', () => {
  it('gives one match with three reasons for a paper three interests match', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(7, [
      interest(1, 'unlearn*'),
      interest(2, 'LLMs'),
      interest(3, '(unlearning OR forgetting) AND LLM'),
      interest(4, 'diffusion'),
    ])
    const [match, ...rest] = percolator.match(unlearningPaper)
    expect(rest).toEqual([])
    expect(match?.subscriberId).toBe(7)
    expect(match?.reasons.map((r) => r.source)).toEqual(
      expect.arrayContaining([interest(1, 'unlearn*'), interest(2, 'LLMs')]),
    )
    expect(match?.reasons).toHaveLength(3)
    const [reason] = match?.reasons.filter((r) => r.source.line.startsWith('(')) ?? []
    expect(reason?.words).toEqual(['unlearning', 'forgetting', 'llms', 'llm'])
  })

  it('reports the line as the subscriber wrote it, though lines are shared by their canonical form', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, [interest(10, 'LLMs')])
    percolator.setSubscriber(2, [interest(20, 'llm')])
    percolator.setSubscriber(3, [interest(30, 'LLM')])
    expect(percolator.stats()).toEqual({ subscribers: 3, queries: 1, postings: 1 })
    const lines = percolator.match(unlearningPaper).map((m) => m.reasons[0]?.source.line)
    expect(lines.sort()).toEqual(['LLM', 'LLMs', 'llm'])
  })

  it('replaces all of a subscriber’s interests, and forgets a removed subscriber', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, [interest(1, 'unlearn*'), interest(2, 'diffusion')])
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual([1])

    percolator.setSubscriber(1, [interest(3, 'reward-free')])
    expect(percolator.match(unlearningPaper)).toEqual([])
    expect(percolator.match(rewardFreePaper)).toEqual([
      {
        subscriberId: 1,
        reasons: [{ source: interest(3, 'reward-free'), words: ['reward free'] }],
      },
    ])
    expect(percolator.stats()).toEqual({ subscribers: 1, queries: 1, postings: 1 })

    percolator.removeSubscriber(1)
    percolator.removeSubscriber(1)
    expect(percolator.match(rewardFreePaper)).toEqual([])
    expect(percolator.stats()).toEqual({ subscribers: 0, queries: 0, postings: 0 })
  })

  it('tells subscribers apart whatever their ids, small, zero or far beyond the dense range', () => {
    const percolator = new Percolator()
    const ids = [0, 1, 2 ** 24 - 1, 2 ** 24, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]
    ids.forEach((id, i) => {
      percolator.setSubscriber(id, [interest(i, 'unlearn*')])
    })
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual(ids)
    expect(percolator.stats().subscribers).toBe(ids.length)

    // Replacing and removing one id leaves its neighbours in either range alone.
    percolator.setSubscriber(2 ** 24, [interest(9, 'reward-free')])
    percolator.removeSubscriber(2 ** 24 - 1)
    percolator.removeSubscriber(2 ** 40 + 3)
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual([
      0,
      1,
      Number.MAX_SAFE_INTEGER,
    ])
    expect(percolator.match(rewardFreePaper).map((m) => m.subscriberId)).toEqual([2 ** 24])
    expect(percolator.stats().subscribers).toBe(4)

    // A removed id comes back as any other.
    percolator.setSubscriber(2 ** 24 - 1, [interest(10, 'reward-free')])
    expect(percolator.match(rewardFreePaper).map((m) => m.subscriberId)).toEqual([
      2 ** 24,
      2 ** 24 - 1,
    ])
    expect(percolator.stats().subscribers).toBe(5)
  })

  it('keeps a line shared with others alive when one subscriber replaces it', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, [interest(1, 'unlearn*')])
    percolator.setSubscriber(2, [interest(2, 'unlearn*')])
    percolator.setSubscriber(1, [interest(3, 'unlearn*'), interest(4, 'risky')])
    percolator.removeSubscriber(2)
    expect(percolator.match(unlearningPaper)).toEqual([
      { subscriberId: 1, reasons: [{ source: interest(3, 'unlearn*'), words: ['unlearning'] }] },
    ])
  })

  it('indexes a topic once however many subscribers follow it', () => {
    const percolator = new Percolator()
    for (let id = 1; id <= 1000; id++) percolator.setSubscriber(id, topic('ai-safety', SAFETY))
    expect(percolator.stats()).toEqual({ subscribers: 1000, queries: 3, postings: 4 })

    const matched = percolator.match(unlearningPaper)
    expect(matched).toHaveLength(1000)
    // Topic reasons come in the topic's line order.
    expect(matched[0]?.reasons.map((r) => r.source)).toEqual([
      { kind: 'topic', slug: 'ai-safety', line: 'machine unlearning' },
      { kind: 'topic', slug: 'ai-safety', line: '(unlearning OR forgetting) AND LLM' },
    ])

    for (let id = 1; id <= 999; id++) percolator.removeSubscriber(id)
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual([1000])
    percolator.removeSubscriber(1000)
    expect(percolator.stats()).toEqual({ subscribers: 0, queries: 0, postings: 0 })
  })

  it('merges a topic’s reasons with the subscriber’s own interests into one match', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(5, [interest(1, 'LLMs'), ...topic('ai-safety', SAFETY)])
    percolator.setSubscriber(6, topic('ai-safety', SAFETY))
    const bySubscriber = new Map(percolator.match(unlearningPaper).map((m) => [m.subscriberId, m]))
    expect(bySubscriber.get(5)?.reasons).toHaveLength(3)
    expect(bySubscriber.get(6)?.reasons).toHaveLength(2)
  })

  it('reports each matched own line and each topic once, with the topic’s follower count', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(5, [interest(1, 'LLMs'), ...topic('ai-safety', SAFETY)])
    for (let id = 6; id <= 9; id++) percolator.setSubscriber(id, topic('ai-safety', SAFETY))
    percolator.setSubscriber(10, topic('rl', ['reward-free']))
    percolator.setSubscriber(11, [interest(2, 'LLMs'), interest(3, 'llm'), interest(4, 'physics')])
    const found = percolator.matchLines(unlearningPaper)
    // `llm` and `LLMs` are one query; each is still a line of its own, as subscribers wrote it.
    expect(found.lines).toEqual([
      { line: 'LLMs', words: ['llms', 'llm'] },
      { line: 'llm', words: ['llms', 'llm'] },
    ])
    expect(found.topics).toEqual([
      {
        slug: 'ai-safety',
        followers: 5,
        reasons: [
          { source: topic('ai-safety', SAFETY)[1], words: ['machine unlearning'] },
          {
            source: topic('ai-safety', SAFETY)[2],
            words: ['unlearning', 'forgetting', 'llms', 'llm'],
          },
        ],
      },
    ])
  })

  it('reports a topic line as an own line only while some subscriber has it as an interest', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, topic('ai-safety', SAFETY))
    expect(percolator.matchLines(unlearningPaper).lines).toEqual([])
    percolator.setSubscriber(2, [interest(1, 'machine unlearning')])
    percolator.setSubscriber(3, [interest(2, 'machine unlearning')])
    expect(percolator.matchLines(unlearningPaper).lines.map((l) => l.line)).toEqual([
      'machine unlearning',
    ])
    percolator.removeSubscriber(2)
    expect(percolator.matchLines(unlearningPaper).lines).toHaveLength(1)
    percolator.setSubscriber(3, [interest(3, 'physics')])
    expect(percolator.matchLines(unlearningPaper).lines).toEqual([])
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual([1])
  })

  it('keeps a subscriber on the topic lines it was set with when the topic is edited', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, topic('ai-safety', SAFETY))
    percolator.setSubscriber(2, topic('ai-safety', ['reward-free']))
    expect(percolator.match(unlearningPaper).map((m) => m.subscriberId)).toEqual([1])
    expect(percolator.match(rewardFreePaper).map((m) => m.subscriberId)).toEqual([2])
  })

  it('skips a line that does not parse and drops a subscriber left with nothing', () => {
    const percolator = new Percolator()
    percolator.setSubscriber(1, [interest(1, 'NOT survey'), interest(2, 'unlearn*')])
    expect(percolator.match(unlearningPaper)).toHaveLength(1)
    percolator.setSubscriber(1, [interest(1, 'NOT survey')])
    expect(percolator.stats()).toEqual({ subscribers: 0, queries: 0, postings: 0 })
    percolator.setSubscriber(2, [])
    expect(percolator.stats().subscribers).toBe(0)
  })

  it('finds the same matches with frequencies measured on a sample of papers', () => {
    const sample = papers.slice(0, 40).map(analyzePaper)
    const percolator = new Percolator({ frequency: sampleFrequency(sample) })
    const subscribers = new Map<number, InterestSource[]>([
      [1, [interest(1, 'reinforcement learning'), interest(2, 'category:cs.* AND manipulation')]],
      [2, [interest(3, 'author:"Y. Li"'), ...topic('rl', ['MDPs', 'regret bound*'])]],
    ])
    for (const [id, sources] of subscribers) percolator.setSubscriber(id, sources)
    for (const paper of papers) {
      expect(canonical(percolator.match(paper))).toEqual(
        canonical(bruteForce(subscribers, analyzePaper(paper))),
      )
    }
  })
})

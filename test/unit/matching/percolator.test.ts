import { describe, expect, it } from 'vitest'
import { Percolator, sampleFrequency } from '../../../services/domain/matching/index.js'
import { analyzePaper } from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'
import { expectedLines, expectedTopics, sorted } from './brute-force.js'

const papers = loadFixturePapers()
const paperByKey = (key: string) => {
  const paper = papers.find((p) => p.key === key)
  if (paper === undefined) throw new Error(key)
  return paper
}
// seed#14 is about unlearning in LLMs; seed#26 about reward-free RL in MDPs.
const unlearningPaper = paperByKey('seed#14')
const rewardFreePaper = paperByKey('seed#26')

const SAFETY = ['jailbreak*', 'machine unlearning', '(unlearning OR forgetting) AND LLM']

describe('Percolator', () => {
  it('reports each matched line once, as written, with the words it matched', () => {
    const percolator = new Percolator()
    for (const line of ['unlearn*', 'LLMs', '(unlearning OR forgetting) AND LLM', 'diffusion']) {
      percolator.addLine(line)
    }
    expect(sorted.lines(percolator.matchLines(unlearningPaper).lines)).toEqual([
      {
        line: '(unlearning OR forgetting) AND LLM',
        words: ['unlearning', 'forgetting', 'llms', 'llm'],
      },
      { line: 'LLMs', words: ['llms', 'llm'] },
      { line: 'unlearn*', words: ['unlearning'] },
    ])
    expect(percolator.matchLines(rewardFreePaper).lines).toEqual([])
  })

  it('indexes lines that print the same as one query, and still reports each as written', () => {
    const percolator = new Percolator()
    for (const line of ['LLMs', 'llm', 'LLM']) percolator.addLine(line)
    expect(percolator.stats()).toEqual({ lines: 3, queries: 1, postings: 1 })
    const lines = percolator.matchLines(unlearningPaper).lines.map((m) => m.line)
    expect(lines.sort()).toEqual(['LLM', 'LLMs', 'llm'])
  })

  it('keeps a line once however many times it is added', () => {
    const percolator = new Percolator()
    for (let i = 0; i < 1000; i++) expect(percolator.addLine('unlearn*')).toBe(true)
    expect(percolator.stats()).toEqual({ lines: 1, queries: 1, postings: 1 })
    expect(percolator.matchLines(unlearningPaper).lines).toHaveLength(1)
  })

  it('skips a line that does not parse', () => {
    const percolator = new Percolator()
    expect(percolator.addLine('NOT survey')).toBe(false)
    expect(percolator.addLine('"unclosed')).toBe(false)
    expect(percolator.stats()).toEqual({ lines: 0, queries: 0, postings: 0 })
  })

  it('indexes a topic’s lines once and reports the topic with its reasons in line order', () => {
    const percolator = new Percolator()
    percolator.setTopic('ai-safety', SAFETY)
    expect(percolator.stats()).toEqual({ lines: 0, queries: 3, postings: 4 })
    expect(percolator.matchLines(unlearningPaper)).toEqual({
      lines: [],
      topics: [
        {
          slug: 'ai-safety',
          reasons: [
            { line: 'machine unlearning', words: ['machine unlearning'] },
            {
              line: '(unlearning OR forgetting) AND LLM',
              words: ['unlearning', 'forgetting', 'llms', 'llm'],
            },
          ],
        },
      ],
    })
    expect(percolator.matchLines(rewardFreePaper).topics).toEqual([])
  })

  it('reports a topic line as a line too only when someone has it as their own interest', () => {
    const percolator = new Percolator()
    percolator.setTopic('ai-safety', SAFETY)
    expect(percolator.matchLines(unlearningPaper).lines).toEqual([])
    percolator.addLine('machine unlearning')
    const found = percolator.matchLines(unlearningPaper)
    expect(found.lines).toEqual([{ line: 'machine unlearning', words: ['machine unlearning'] }])
    expect(found.topics.map((t) => t.reasons.length)).toEqual([2])
    // Removing the topic keeps the line that is also someone's own.
    percolator.setTopic('ai-safety', [])
    expect(percolator.matchLines(unlearningPaper)).toEqual({
      lines: [{ line: 'machine unlearning', words: ['machine unlearning'] }],
      topics: [],
    })
    expect(percolator.stats()).toEqual({ lines: 1, queries: 1, postings: 1 })
  })

  it('replaces a topic’s lines when they are edited, and drops a topic set with none', () => {
    const percolator = new Percolator()
    percolator.setTopic('ai-safety', SAFETY)
    percolator.setTopic('rl', ['reward-free', 'MDPs'])
    percolator.setTopic('ai-safety', ['reward-free'])
    expect(percolator.matchLines(unlearningPaper).topics).toEqual([])
    expect(sorted.topics(percolator.matchLines(rewardFreePaper).topics)).toEqual([
      { slug: 'ai-safety', reasons: [{ line: 'reward-free', words: ['reward free'] }] },
      {
        slug: 'rl',
        reasons: [
          { line: 'reward-free', words: ['reward free'] },
          { line: 'MDPs', words: ['mdps'] },
        ],
      },
    ])
    // Setting the same lines again changes nothing; setting none removes the topic.
    percolator.setTopic('rl', ['reward-free', 'MDPs'])
    expect(percolator.stats()).toEqual({ lines: 0, queries: 2, postings: 2 })
    percolator.setTopic('rl', [])
    percolator.setTopic('ai-safety', [])
    expect(percolator.stats()).toEqual({ lines: 0, queries: 0, postings: 0 })
    expect(percolator.matchLines(rewardFreePaper).topics).toEqual([])
  })

  it('finds the same matches with frequencies measured on a sample of papers', () => {
    const sample = papers.slice(0, 40).map(analyzePaper)
    const percolator = new Percolator({ frequency: sampleFrequency(sample) })
    const lines = ['reinforcement learning', 'category:cs.* AND manipulation', 'author:"Y. Li"']
    const topics = new Map([['rl', ['MDPs', 'regret bound*']]])
    for (const line of lines) percolator.addLine(line)
    for (const [slug, topicLines] of topics) percolator.setTopic(slug, topicLines)
    for (const paper of papers) {
      const found = percolator.matchLines(paper)
      expect(sorted.lines(found.lines)).toEqual(expectedLines(lines, analyzePaper(paper)))
      expect(sorted.topics(found.topics)).toEqual(expectedTopics(topics, analyzePaper(paper)))
    }
  })
})

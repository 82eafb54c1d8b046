import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Percolator, sampleFrequency } from '../../../services/domain/matching/index.js'
import { analyzePaper, parseQuery, printQuery } from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../../helpers/fixture-papers.js'
import { expectedLines, expectedQueries, expectedTopics, sorted } from './brute-force.js'
import { LINES } from './lines.js'

const papers = loadFixturePapers().map((p) => ({ raw: p, analyzed: analyzePaper(p) }))
const frequencies = [undefined, sampleFrequency(papers.slice(0, 30).map((p) => p.analyzed))]

const line = fc.constantFrom(...LINES)
/** Add a line, or set a topic's lines (none removes it), in any order; lines repeat. */
const command = fc.oneof(
  { weight: 4, arbitrary: line.map((l) => ({ add: l })) },
  {
    weight: 1,
    arbitrary: fc.record({
      slug: fc.constantFrom('ai-safety', 'rl', 'theory'),
      lines: fc.array(line, { maxLength: 5 }),
    }),
  },
)

describe('Percolator against brute force', () => {
  it('matches exactly what evaluating every line and every topic line matches', () => {
    fc.assert(
      fc.property(
        fc.array(command, { maxLength: 40 }),
        fc.constantFrom(...frequencies),
        (commands, frequency) => {
          const percolator = new Percolator({ frequency })
          const own = new Set<string>()
          const topics = new Map<string, readonly string[]>()
          for (const c of commands) {
            if ('add' in c) {
              percolator.addLine(c.add)
              own.add(c.add)
              continue
            }
            percolator.setTopic(c.slug, c.lines)
            if (c.lines.length > 0) topics.set(c.slug, c.lines)
            else topics.delete(c.slug)
          }
          const everyLine = [...own, ...[...topics.values()].flat()]
          for (const paper of papers) {
            const found = percolator.matchLines(paper.raw)
            expect(sorted.lines(found.lines)).toEqual(expectedLines(own, paper.analyzed))
            expect(sorted.topics(found.topics)).toEqual(expectedTopics(topics, paper.analyzed))
            expect(sorted.queries(percolator.matchQueries(paper.raw))).toEqual(
              expectedQueries(everyLine, paper.analyzed),
            )
          }
          // Removing every topic leaves exactly the own lines' queries indexed.
          for (const slug of topics.keys()) percolator.setTopic(slug, [])
          const ownQueries = new Set(
            [...own].flatMap((l) => {
              const parsed = parseQuery(l)
              return parsed.ok ? [printQuery(parsed.query)] : []
            }),
          )
          expect(percolator.stats().queries).toBe(ownQueries.size)
          expect(percolator.stats().lines).toBe([...own].filter((l) => parseQuery(l).ok).length)
        },
      ),
      { numRuns: 60 },
    )
  })
})

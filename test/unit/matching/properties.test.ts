import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type InterestSource,
  type LineMatch,
  Percolator,
  type QueryMatch,
  sampleFrequency,
} from '../../../services/domain/matching/index.js'
import {
  analyzePaper,
  evaluate,
  parseQuery,
  printQuery,
} from '../../../services/domain/query/index.js'
import { loadFixturePapers } from '../query/fixture-papers.js'
import { bruteForce, canonical } from './brute-force.js'
import { LINES } from './lines.js'

const papers = loadFixturePapers().map((p) => ({ raw: p, analyzed: analyzePaper(p) }))
const frequencies = [undefined, sampleFrequency(papers.slice(0, 30).map((p) => p.analyzed))]

const line = fc.constantFrom(...LINES)
const topics = fc.dictionary(
  fc.constantFrom('ai-safety', 'rl', 'theory'),
  fc.array(line, { minLength: 1, maxLength: 5 }),
)
const subscriber = fc.record({
  id: fc.integer({ min: 1, max: 25 }),
  lines: fc.array(line, { maxLength: 6 }),
  topics: fc.subarray(['ai-safety', 'rl', 'theory']),
})
/** Set (add or replace) or remove subscribers, in any order; ids repeat to force replaces. */
const command = fc.oneof(
  { weight: 4, arbitrary: subscriber.map((s) => ({ set: s })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 25 }).map((id) => ({ remove: id })) },
)

/** Each followed topic that some line of matches, with its follower count. */
function expectedTopics(
  model: ReadonlyMap<number, readonly InterestSource[]>,
  paper: (typeof papers)[number]['analyzed'],
): [string, number][] {
  const followers = new Map<string, number>()
  for (const [id, sources] of model) {
    const matched = bruteForce(new Map([[id, sources]]), paper)[0]?.reasons ?? []
    for (const slug of new Set(sources.flatMap((s) => (s.kind === 'topic' ? [s.slug] : [])))) {
      if (!matched.some((r) => r.source.kind === 'topic' && r.source.slug === slug)) continue
      followers.set(slug, (followers.get(slug) ?? 0) + 1)
    }
  }
  return [...followers].sort()
}

const byQuery = (a: QueryMatch, b: QueryMatch): number => (a.query < b.query ? -1 : 1)

/** Every distinct query (by canonical text) among the live lines that the paper matches. */
function expectedQueries(
  model: ReadonlyMap<number, readonly InterestSource[]>,
  paper: (typeof papers)[number]['analyzed'],
): QueryMatch[] {
  const found = new Map<string, QueryMatch>()
  for (const source of [...model.values()].flat()) {
    const parsed = parseQuery(source.line)
    if (!parsed.ok) continue
    const { matched, words } = evaluate(parsed.query, paper)
    const query = printQuery(parsed.query)
    if (matched) found.set(query, { query, words })
  }
  return [...found.values()].sort(byQuery)
}

const byLine = (a: LineMatch, b: LineMatch): number => (a.line < b.line ? -1 : 1)

/** Every distinct line that is some subscriber's own interest and matches, with its words. */
function expectedLines(
  model: ReadonlyMap<number, readonly InterestSource[]>,
  paper: (typeof papers)[number]['analyzed'],
): LineMatch[] {
  const found = new Map<string, LineMatch>()
  for (const source of [...model.values()].flat()) {
    if (source.kind !== 'interest') continue
    const parsed = parseQuery(source.line)
    if (!parsed.ok) continue
    const { matched, words } = evaluate(parsed.query, paper)
    if (matched) found.set(source.line, { line: source.line, words })
  }
  return [...found.values()].sort(byLine)
}

describe('Percolator against brute force', () => {
  it('matches exactly what evaluating every interest of every subscriber matches', () => {
    let nextInterestId = 1
    fc.assert(
      fc.property(
        topics,
        fc.array(command, { maxLength: 40 }),
        fc.constantFrom(...frequencies),
        (topicLines, commands, frequency) => {
          const percolator = new Percolator({ frequency })
          const model = new Map<number, InterestSource[]>()
          for (const c of commands) {
            if ('remove' in c) {
              percolator.removeSubscriber(c.remove)
              model.delete(c.remove)
              continue
            }
            const sources: InterestSource[] = [
              ...c.set.lines.map(
                (l): InterestSource => ({
                  kind: 'interest',
                  interestId: nextInterestId++,
                  line: l,
                }),
              ),
              ...c.set.topics.flatMap((slug) =>
                (topicLines[slug] ?? []).map(
                  (l): InterestSource => ({ kind: 'topic', slug, line: l }),
                ),
              ),
            ]
            percolator.setSubscriber(c.set.id, sources)
            model.set(c.set.id, sources)
          }
          for (const paper of papers) {
            expect(canonical(percolator.match(paper.raw))).toEqual(
              canonical(bruteForce(model, paper.analyzed)),
            )
            const stored = percolator.matchLines(paper.raw)
            expect(stored.lines.sort(byLine)).toEqual(expectedLines(model, paper.analyzed))
            expect(stored.topics.map((t) => [t.slug, t.followers]).sort()).toEqual(
              expectedTopics(model, paper.analyzed),
            )
            expect(percolator.matchQueries(paper.raw).sort(byQuery)).toEqual(
              expectedQueries(model, paper.analyzed),
            )
          }
          for (const id of model.keys()) percolator.removeSubscriber(id)
          expect(percolator.stats()).toEqual({ subscribers: 0, queries: 0, postings: 0 })
        },
      ),
      { numRuns: 60 },
    )
  })
})

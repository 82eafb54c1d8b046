import type { LineMatch, QueryMatch, TopicMatch } from '../../../services/domain/matching/index.js'
import {
  type AnalyzedPaper,
  evaluate,
  parseQuery,
  printQuery,
} from '../../../services/domain/query/index.js'

// The obvious matcher the percolator must agree with: every line evaluated against the paper.

function evaluated(line: string, paper: AnalyzedPaper) {
  const parsed = parseQuery(line)
  if (!parsed.ok) return undefined
  const { matched, words } = evaluate(parsed.query, paper)
  return matched ? { query: printQuery(parsed.query), words } : undefined
}

const byLine = (a: LineMatch, b: LineMatch): number => (a.line < b.line ? -1 : 1)
const byQuery = (a: QueryMatch, b: QueryMatch): number => (a.query < b.query ? -1 : 1)
const bySlug = (a: TopicMatch, b: TopicMatch): number => (a.slug < b.slug ? -1 : 1)

/** Each distinct line that matches, with its words, sorted by line. */
export function expectedLines(lines: Iterable<string>, paper: AnalyzedPaper): LineMatch[] {
  const found = new Map<string, LineMatch>()
  for (const line of lines) {
    const match = evaluated(line, paper)
    if (match) found.set(line, { line, words: match.words })
  }
  return [...found.values()].sort(byLine)
}

/** Each topic some line of which matches, its matching lines in order, sorted by slug. */
export function expectedTopics(
  topics: ReadonlyMap<string, readonly string[]>,
  paper: AnalyzedPaper,
): TopicMatch[] {
  const found: TopicMatch[] = []
  for (const [slug, lines] of topics) {
    const reasons = lines.flatMap((line) => {
      const match = evaluated(line, paper)
      return match ? [{ line, words: match.words }] : []
    })
    if (reasons.length > 0) found.push({ slug, reasons })
  }
  return found.sort(bySlug)
}

/** Each distinct query (by canonical text) of these lines that matches, sorted. */
export function expectedQueries(lines: Iterable<string>, paper: AnalyzedPaper): QueryMatch[] {
  const found = new Map<string, QueryMatch>()
  for (const line of lines) {
    const match = evaluated(line, paper)
    if (match) found.set(match.query, match)
  }
  return [...found.values()].sort(byQuery)
}

/** The percolator promises no order: sorted as the expectations above are. */
export const sorted = {
  lines: (lines: LineMatch[]): LineMatch[] => [...lines].sort(byLine),
  topics: (topics: TopicMatch[]): TopicMatch[] => [...topics].sort(bySlug),
  queries: (queries: QueryMatch[]): QueryMatch[] => [...queries].sort(byQuery),
}

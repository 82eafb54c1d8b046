import type { InterestSource, PaperMatch } from '../../../services/domain/matching/index.js'
import { type AnalyzedPaper, evaluate, parseQuery } from '../../../services/domain/query/index.js'

/** The obvious matcher the percolator must agree with: every line of every subscriber. */
export function bruteForce(
  subscribers: ReadonlyMap<number, readonly InterestSource[]>,
  paper: AnalyzedPaper,
): PaperMatch[] {
  const out: PaperMatch[] = []
  for (const [subscriberId, sources] of subscribers) {
    const reasons = sources.flatMap((source) => {
      const parsed = parseQuery(source.line)
      if (!parsed.ok) return []
      const { matched, words } = evaluate(parsed.query, paper)
      return matched ? [{ source, words }] : []
    })
    if (reasons.length > 0) out.push({ subscriberId, reasons })
  }
  return out
}

function reasonKey({ source, words }: PaperMatch['reasons'][number]): string {
  const owner = source.kind === 'interest' ? source.interestId : source.slug
  return JSON.stringify([source.kind, owner, source.line, words])
}

/** Order-free form for comparison: the percolator promises no order of matches or reasons. */
export function canonical(matches: readonly PaperMatch[]): [number, string[]][] {
  return matches
    .map((m): [number, string[]] => [m.subscriberId, m.reasons.map(reasonKey).sort()])
    .sort((a, b) => a[0] - b[0])
}

import { gte } from 'drizzle-orm'
import type { Database } from '../db/client.js'
import { papers } from '../db/schema/index.js'
import {
  analyzePaper,
  evaluate,
  parseInterest,
  printQuery,
  type QueryError,
} from '../domain/query/index.js'

/** Papers looked at per preview: a week of a busy feed, without letting one request scan everything. */
const PREVIEW_SCAN_LIMIT = 5_000

export interface InterestPreview {
  readonly query: string
  readonly days: number
  readonly total: number
  readonly perDay: number
  readonly papers: {
    id: string
    title: string
    url: string | null
    words: string[]
    firstSeenAt: string
  }[]
}

export type PreviewResult =
  | { ok: true; preview: InterestPreview }
  | { ok: false; error: QueryError }

/**
 * What one interest line would have matched among the papers of the last `days` days, and how
 * many a day that is: the same parser and evaluator the matcher uses, so what people see while
 * typing is what they will get.
 */
export async function previewInterest(
  db: Database,
  line: string,
  options: { days: number; now: Date; limit?: number },
): Promise<PreviewResult> {
  const parsed = parseInterest(line.trim())
  if (!parsed.ok) return { ok: false, error: parsed.error }
  const since = new Date(options.now.getTime() - options.days * 24 * 3600 * 1000)
  const recent = await db
    .select({
      id: papers.id,
      title: papers.title,
      abstract: papers.abstract,
      authors: papers.authors,
      categories: papers.categories,
      url: papers.url,
      firstSeenAt: papers.firstSeenAt,
    })
    .from(papers)
    .where(gte(papers.firstSeenAt, since))
    .orderBy(papers.firstSeenAt)
    .limit(PREVIEW_SCAN_LIMIT)
  const matched = []
  for (const paper of recent) {
    const result = evaluate(parsed.query, analyzePaper(paper))
    if (result.matched) {
      matched.push({
        id: paper.id,
        title: paper.title,
        url: paper.url,
        words: result.words,
        firstSeenAt: paper.firstSeenAt.toISOString(),
      })
    }
  }
  matched.reverse()
  return {
    ok: true,
    preview: {
      query: printQuery(parsed.query),
      days: options.days,
      total: matched.length,
      perDay: Math.round((matched.length / options.days) * 10) / 10,
      papers: matched.slice(0, options.limit ?? 20),
    },
  }
}

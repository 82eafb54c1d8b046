import { parseInterest, printQuery, type QueryError } from '../domain/query/index.js'
import type { PreviewWindows } from './preview-window.js'

const DAY_MS = 24 * 3600 * 1000

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
 * many a day that is: the same parser, key programs and evaluator the matcher uses, so what
 * people see while typing is what they will get. Papers come from the process's preview
 * window (PREVIEW_WINDOW); when a busy feed fills it with fewer days than asked, the rate a
 * day is over the days it holds.
 */
export async function previewInterest(
  windows: PreviewWindows,
  line: string,
  options: { days: number; now: Date; limit?: number },
): Promise<PreviewResult> {
  const parsed = parseInterest(line.trim())
  if (!parsed.ok) return { ok: false, error: parsed.error }
  const window = await windows.current()
  const now = options.now.getTime()
  const since = now - options.days * DAY_MS
  const found = window.search(parsed.query, new Date(since), options.limit ?? 20)
  const coveredDays = (now - Math.max(since, window.coveredFrom.getTime())) / DAY_MS
  const perDayOver = Math.min(options.days, Math.max(coveredDays, 1 / 24))
  return {
    ok: true,
    preview: {
      query: printQuery(parsed.query),
      days: options.days,
      total: found.total,
      perDay: Math.round((found.total / perDayOver) * 10) / 10,
      papers: found.newest.map(({ paper, words }) => ({
        id: paper.id,
        title: paper.title,
        url: paper.url,
        words,
        firstSeenAt: paper.firstSeenAt.toISOString(),
      })),
    },
  }
}

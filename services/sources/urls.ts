import { isArxivCategory } from './paper-builder.js'

export const HF_DAILY_API = 'https://huggingface.co/api/daily_papers'
export const ARXIV_API = 'http://export.arxiv.org/api/query'
export const ARXIV_RSS = 'https://rss.arxiv.org/rss'
/** arXiv answers at most this many results per API call. */
export const ARXIV_MAX_PAGE = 2_000

function isoDay(date: string | Date): string {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new RangeError('hfDailyUrl: invalid Date')
    return date.toISOString().slice(0, 10)
  }
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const [, y = '', m = '', d = ''] = day ?? []
  const utc = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  if (!day || utc.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`hfDailyUrl: ${JSON.stringify(date)} is not a YYYY-MM-DD date`)
  }
  return date
}

/** HF Daily Papers for one UTC day (YYYY-MM-DD or a Date); without a date, HF's current day. */
export function hfDailyUrl(date?: string | Date): string {
  return date === undefined ? HF_DAILY_API : `${HF_DAILY_API}?date=${isoDay(date)}`
}

/** One page of an arXiv API search, newest submissions first. */
export function arxivQueryUrl(query: string, start = 0, max = 100, base = ARXIV_API): string {
  if (query.trim() === '') throw new RangeError('arxivQueryUrl: empty query')
  if (!Number.isInteger(start) || start < 0)
    throw new RangeError('arxivQueryUrl: start must be ≥ 0')
  if (!Number.isInteger(max) || max < 1 || max > ARXIV_MAX_PAGE) {
    throw new RangeError(`arxivQueryUrl: max must be 1–${ARXIV_MAX_PAGE}`)
  }
  const q = encodeURIComponent(query.trim())
  return `${base}?search_query=${q}&start=${start}&max_results=${max}&sortBy=submittedDate&sortOrder=descending`
}

/** The RSS feed of a category (`cs.AI`), an archive (`cs`) or several joined by `+`. */
export function arxivRssUrl(category: string): string {
  const parts = category.trim().split('+')
  if (!parts.every(isArxivCategory)) {
    throw new RangeError(
      `arxivRssUrl: ${JSON.stringify(category)} is not an arXiv category such as cs.AI`,
    )
  }
  return `${ARXIV_RSS}/${parts.join('+')}`
}

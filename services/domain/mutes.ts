import {
  analyzePaper,
  MAX_INTEREST_LENGTH,
  matches,
  type PaperFields,
  parseInterest,
  type Query,
} from './query/index.js'

// Muted terms: what "mute this author" and "mute this word" store. Each is a query line the
// interest parser accepts (`author:"Jane Doe"`, `diffusion`), so the preference centre can
// show and edit them as `NOT …` clauses, and together they act as `NOT (term1 OR term2 …)` on
// every paper a subscriber's lines and topics bring. Pure: no I/O.

/** Enough for a long list of authors and words; each costs one evaluation per digest paper. */
export const MAX_MUTES = 50

export type MuteCheck = { ok: true; term: string } | { ok: false; reason: string }

/** One muted term as typed: a single valid query line. */
export function checkMuteTerm(raw: unknown): MuteCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'must be text' }
  const term = raw.trim()
  if (term === '') return { ok: false, reason: 'is empty' }
  if (/[\r\n]/.test(term)) return { ok: false, reason: 'must be a single line' }
  if ([...term].length > MAX_INTEREST_LENGTH) {
    return { ok: false, reason: `longer than ${MAX_INTEREST_LENGTH} characters` }
  }
  const parsed = parseInterest(term)
  if (!parsed.ok) return { ok: false, reason: parsed.error.message }
  return { ok: true, term }
}

/**
 * The preference centre's list of muted terms, one a line (blank lines skipped but counted,
 * so a message's line number is the line of the box): every line checked, each problem
 * saying which line and why; duplicates kept once, in the order written.
 */
export function checkMuteLines(
  lines: readonly string[],
): { ok: true; terms: string[] } | { ok: false; error: string } {
  const problems: string[] = []
  const terms: string[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    const checked = checkMuteTerm(line)
    if (checked.ok) terms.push(checked.term)
    else problems.push(`line ${index + 1}: ${checked.reason}`)
  })
  if (problems.length > 0) return { ok: false, error: problems.join('; ') }
  const unique = [...new Set(terms)]
  if (unique.length > MAX_MUTES) {
    return { ok: false, error: `at most ${MAX_MUTES} muted terms (got ${unique.length})` }
  }
  return { ok: true, terms: unique }
}

/** Decides whether a paper is muted: parsed once per digest, evaluated per paper. */
export type MuteFilter = (paper: PaperFields) => boolean

export const NOTHING_MUTED: MuteFilter = () => false

/**
 * `NOT (term1 OR term2 …)` as a predicate: true when any stored term matches the paper.
 * A stored term that no longer parses (a parser made stricter since) mutes nothing rather than
 * failing a digest; the preference centre reports it when the list is next saved.
 */
export function muteFilter(terms: readonly string[]): MuteFilter {
  const queries: Query[] = []
  for (const term of terms) {
    const parsed = parseInterest(term)
    if (parsed.ok) queries.push(parsed.query)
  }
  if (queries.length === 0) return NOTHING_MUTED
  return (paper) => {
    const analyzed = analyzePaper(paper)
    return queries.some((q) => matches(q, analyzed))
  }
}

/**
 * The term that mutes one author: `author:"Jane Doe"`. Quotes and backslashes in a name
 * cannot be written inside the phrase, so they become spaces (the matcher splits names into
 * words anyway). Undefined when the name leaves nothing the parser accepts.
 */
export function authorMuteTerm(name: string): string | undefined {
  const words = name
    .replace(/["\\()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (words === '') return undefined
  const checked = checkMuteTerm(`author:"${words}"`)
  return checked.ok ? checked.term : undefined
}

/**
 * Physics papers can list thousands of authors: the page offers the first ones (any other
 * can be muted by typing `author:"…"` in the preferences).
 */
export const AUTHORS_OFFERED = 50

/** The terms for the paper's authors that really match it, each once, in the paper's order. */
export function authorTerms(paper: PaperFields): { name: string; term: string }[] {
  const authors = (paper.authors ?? []).slice(0, AUTHORS_OFFERED)
  const analyzed = analyzePaper({ ...paper, authors })
  const seen = new Set<string>()
  const found: { name: string; term: string }[] = []
  for (const name of authors) {
    const term = authorMuteTerm(name)
    if (term === undefined || seen.has(term)) continue
    const parsed = parseInterest(term)
    if (!parsed.ok || !matches(parsed.query, analyzed)) continue
    seen.add(term)
    found.push({ name, term })
  }
  return found
}

/**
 * How the preference centre writes a muted term: as the NOT clause it is, bracketed when
 * the term is itself an AND or OR, so `NOT (a OR b)` does not read as `(NOT a) OR b`.
 */
export function muteClause(term: string): string {
  const parsed = parseInterest(term)
  const compound = parsed.ok && (parsed.query.kind === 'and' || parsed.query.kind === 'or')
  return compound && !/^\(.*\)$/.test(term) ? `NOT (${term})` : `NOT ${term}`
}

/**
 * The preference centre's textarea back into terms, one a line (blank ones kept, for line
 * numbers), with the leading `NOT` of each clause (which the page writes, and people may leave
 * out) taken off.
 */
export function muteLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim().replace(/^NOT\s+/, ''))
  while (lines.length > 0 && lines.at(-1) === '') lines.pop()
  return lines
}

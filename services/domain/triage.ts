import { checkMuteTerm } from './mutes.js'
import { analyzePaper, matches, type PaperFields, parseInterest } from './query/index.js'

// What the triage pages under a digest's paper propose: the interest line "more like this"
// adds, and the words "mute this word" offers. Pure: no I/O.

/** The three links under every paper; the path segment of /triage/<action>. */
export const TRIAGE_ACTIONS = ['more', 'author', 'word'] as const
export type TriageAction = (typeof TRIAGE_ACTIONS)[number]

export function isTriageAction(value: string): value is TriageAction {
  return (TRIAGE_ACTIONS as readonly string[]).includes(value)
}

/** A paper as the triage pages see it: its text, and what matched it for this subscriber. */
export interface TriagePaper extends PaperFields {
  readonly id: string
  readonly title: string
  readonly authors: readonly string[]
  readonly categories: readonly string[]
  readonly aiKeywords: readonly string[]
  /** The words the subscriber's lines and topics matched in it, when a digest carried it. */
  readonly matchedWords: readonly string[]
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length

/** Candidates that are valid query lines and really match the paper, each once. */
function matchingTerms(paper: PaperFields, candidates: readonly string[]): string[] {
  const analyzed = analyzePaper(paper)
  const seen = new Set<string>()
  const found: string[] = []
  for (const candidate of candidates) {
    const checked = checkMuteTerm(candidate.toLowerCase())
    if (!checked.ok || seen.has(checked.term)) continue
    const parsed = parseInterest(checked.term)
    if (!parsed.ok || !matches(parsed.query, analyzed)) continue
    seen.add(checked.term)
    found.push(checked.term)
  }
  return found
}

/** "Mute this word": the matched words and phrases, then the paper's keywords. */
export function wordSuggestions(paper: TriagePaper): string[] {
  return matchingTerms(paper, [...paper.matchedWords, ...paper.aiKeywords]).slice(0, 12)
}

/**
 * "More like this": the most specific thing the paper is about, as an interest line. The
 * longest matched phrase (several words say more than one), else a keyword of the paper that
 * is in its text, else its primary category; undefined when it has none of these.
 */
export function proposedInterest(paper: TriagePaper): string | undefined {
  const matched = matchingTerms(paper, paper.matchedWords)
    .map((term, order) => ({ term, order, words: wordCount(term) }))
    .sort((a, b) => b.words - a.words || a.order - b.order)
  const phrase = matched.find((m) => m.words > 1) ?? undefined
  if (phrase) return phrase.term
  const [keyword] = matchingTerms(paper, paper.aiKeywords)
  if (keyword) return keyword
  const [primary] = paper.categories
  if (primary) {
    const checked = checkMuteTerm(`category:${primary}`)
    if (checked.ok) return checked.term
  }
  return matched[0]?.term
}

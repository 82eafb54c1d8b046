import type { Database } from '../db/client.js'
import { addMute, listMutes } from '../db/repositories/mutes.js'
import {
  type Subscriber,
  updatePreferences as savePreferences,
} from '../db/repositories/subscribers.js'
import { authorTerms, checkMuteTerm, MAX_MUTES } from '../domain/mutes.js'
import { interestLineProblem, MAX_INTERESTS } from '../domain/preferences.js'
import { proposedInterest, type TriagePaper, wordSuggestions } from '../domain/triage.js'

// "More like this", "mute this author" and "mute this word" under each paper of a digest.
// Opening a triage link only reads (link scanners follow every link); the page's button posts,
// and posting the same choice again changes nothing more.

export interface TriageDeps {
  readonly db: Database
  readonly now: () => Date
}

/** What the confirmation pages offer for one paper. */
export interface TriageChoices {
  readonly authors: { name: string; term: string }[]
  readonly words: string[]
  readonly interest: string | undefined
}

export function triageChoices(paper: TriagePaper): TriageChoices {
  return {
    authors: authorTerms(paper),
    words: wordSuggestions(paper),
    interest: proposedInterest(paper),
  }
}

export type TriageResult =
  | { ok: true; changed: boolean; term: string }
  | { ok: false; error: string }

/** Mutes one term (an author's or a word's), checked by the query parser. */
export async function muteTerm(
  deps: TriageDeps,
  subscriberId: number,
  raw: unknown,
): Promise<TriageResult> {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, error: 'Nothing to mute: choose one of the options or type a term.' }
  }
  const checked = checkMuteTerm(raw)
  if (!checked.ok) return { ok: false, error: `Cannot mute ${quoted(raw)}: ${checked.reason}.` }
  const muted = await listMutes(deps.db, subscriberId)
  if (muted.includes(checked.term)) return { ok: true, changed: false, term: checked.term }
  if (muted.length >= MAX_MUTES) {
    return {
      ok: false,
      error: `You have muted ${MAX_MUTES} terms, the most there can be. Remove some in your preferences first.`,
    }
  }
  const changed = await addMute(deps.db, subscriberId, checked.term, deps.now())
  return { ok: true, changed, term: checked.term }
}

/**
 * Adds an interest line, checked as the preference centre checks one, within the limit on
 * how many there can be. A line the subscriber already has is left where it is.
 */
export async function addInterest(
  deps: TriageDeps,
  subscriber: Subscriber,
  raw: unknown,
): Promise<TriageResult> {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, error: 'The interest is empty: write the words to look for.' }
  }
  const line = raw.trim()
  const problem = interestLineProblem(line)
  if (problem) return { ok: false, error: `Cannot add ${quoted(line)}: ${problem}.` }
  if (subscriber.interests.includes(line)) return { ok: true, changed: false, term: line }
  if (subscriber.interests.length >= MAX_INTERESTS) {
    return {
      ok: false,
      error: `You have ${MAX_INTERESTS} interests, the most there can be. Remove one in your preferences first.`,
    }
  }
  await savePreferences(
    deps.db,
    subscriber.id,
    {
      topics: subscriber.topics,
      interests: [...subscriber.interests, line],
      frequency: subscriber.frequency,
      weekday: subscriber.weekday,
      hour: subscriber.hour,
      timezone: subscriber.timezone,
    },
    deps.now(),
  )
  return { ok: true, changed: true, term: line }
}

/** What was typed, quoted and kept short, for a message that says what was refused. */
function quoted(text: string): string {
  const trimmed = text.trim()
  return JSON.stringify(trimmed.length > 60 ? `${trimmed.slice(0, 59)}…` : trimmed)
}

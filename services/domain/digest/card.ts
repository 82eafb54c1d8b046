import { isArxivId } from '../papers/ids.js'
import { groupTitle } from './rank.js'
import type { DigestPaper, DigestReason } from './types.js'

// What a digest card says about a paper besides its text: the small facts shown as chips, and
// why the paper is there. Shared by the email (both parts) and the web view, so they agree.

/** The card's facts, each null when unknown; plain text, every one escaped by the templates. */
export interface PaperCard {
  /** Who published it, as Hugging Face names the organisation; clipped to a chip's length. */
  organization: string | null
  /** The arXiv id, when the paper's key is one. */
  arxivId: string | null
  /** The primary arXiv category (sources list it first). */
  category: string | null
  /** "12 Jun 2026" (UTC), from the source's publication date. */
  published: string | null
  /** An https image of the paper; null when the source has none. */
  thumbnailUrl: string | null
}

/** One matched word and where it matched: the text (highlighted there), an author or a category. */
export interface MatchedWord {
  text: string
  where: 'text' | 'author' | 'category'
}

/** One line of "why this paper": the interest line or topic, and the words it matched. */
export interface WhyReason {
  label: string
  words: MatchedWord[]
  /** Matched words left out after WHY_WORDS_SHOWN (a prefix such as model* matches many). */
  moreWords: number
}

export const ORGANIZATION_MAX = 60
export const WHY_WORDS_SHOWN = 5

const PUBLISHED = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/** The link if it is https, else null: a card never loads an image over plain http or worse. */
export function httpsUrlOrNull(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null
  const link = url.trim()
  return /^https:\/\//i.test(link) && URL.canParse(link) ? link : null
}

const clip = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}\u2026` : text

export function paperCard(paper: DigestPaper): PaperCard {
  const organization = paper.organization?.replace(/\s+/gu, ' ').trim() ?? ''
  return {
    organization: organization === '' ? null : clip(organization, ORGANIZATION_MAX),
    arxivId: isArxivId(paper.id) ? paper.id : null,
    category: paper.categories?.[0] ?? null,
    published: paper.publishedAt ? PUBLISHED.format(paper.publishedAt) : null,
    thumbnailUrl: httpsUrlOrNull(paper.thumbnailUrl),
  }
}

/**
 * Why the paper is here, best reason first (`reasons` come sorted): one entry per interest
 * line or topic, with its distinct words. A word that is one of the paper's authors or
 * categories (what an author or category query reports) is said to be so, because the
 * highlighted title and excerpt cannot show it.
 */
export function whyReasons(paper: DigestPaper, reasons: readonly DigestReason[]): WhyReason[] {
  // The matcher reports author names and categories folded ("ada lovelace", "cs.lg"): the
  // card shows them as the paper spells them.
  const authors = new Map(paper.authors.map((a) => [a.toLowerCase(), a]))
  const categories = new Map((paper.categories ?? []).map((c) => [c.toLowerCase(), c]))
  const byLabel = new Map<string, { label: string; words: Map<string, MatchedWord> }>()
  for (const reason of reasons) {
    const label = groupTitle(reason)
    let found = byLabel.get(label)
    if (!found) {
      found = { label, words: new Map() }
      byLabel.set(label, found)
    }
    for (const word of reason.words) {
      const key = word.toLowerCase()
      // "diffusion (diffusion)" says nothing the label does not.
      if (found.words.has(key) || key === label.toLowerCase()) continue
      const category = categories.get(key)
      const author = authors.get(key)
      found.words.set(
        key,
        category !== undefined
          ? { text: category, where: 'category' }
          : author !== undefined
            ? { text: author, where: 'author' }
            : { text: word, where: 'text' },
      )
    }
  }
  return [...byLabel.values()].map(({ label, words }) => {
    const all = [...words.values()]
    return {
      label,
      words: all.slice(0, WHY_WORDS_SHOWN),
      moreWords: Math.max(0, all.length - WHY_WORDS_SHOWN),
    }
  })
}

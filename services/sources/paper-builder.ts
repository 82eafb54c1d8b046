import { arxivAbsUrl, normaliseId } from '../domain/papers/ids.js'
import type { AnnounceType, IncomingPaper, SourceName } from '../domain/papers/incoming.js'
import { cleanField, MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS } from './clean-text.js'
import { parseDate } from './dates.js'
import { decodeEntities } from './entities.js'

/**
 * Every parser maps its format to a `PaperDraft` of raw strings and hands it here, so cleaning,
 * limits and rejection reasons are the same whichever source a paper came from.
 */
export interface PaperDraft {
  id: string | null
  title: string | null
  abstract: string | null
  authors?: string[]
  categories?: string[]
  publishedAt?: string | null
  updatedAt?: string | null
  url?: string | null
  upvotes?: number | null
  organization?: string | null
  thumbnailUrl?: string | null
  aiKeywords?: string[]
  aiSummary?: string | null
  version?: number | null
  announceType?: AnnounceType
}

/** Thrown while mapping one item; the batch records it and goes on with the next item. */
export class ItemRejected extends Error {
  override name = 'ItemRejected'
  constructor(
    reason: string,
    readonly id?: string,
  ) {
    super(reason)
  }
}

/**
 * Runs `map` (which reads one item's fields) so that a rejection it throws still names the
 * item's id, when the id itself is readable: "upvotes must be a number" alone is hard to act on.
 */
export function withItemId<T>(rawId: string | null, map: () => T): T {
  try {
    return map()
  } catch (error) {
    if (!(error instanceof ItemRejected) || error.id !== undefined || rawId === null) throw error
    const id = normaliseId(decodeEntities(rawId))
    throw id.ok ? new ItemRejected(error.message, id.id) : error
  }
}

export const LIMITS = {
  // Collaboration papers (ATLAS, CMS) list about 3,000 authors.
  authors: 5_000,
  authorChars: 300,
  categories: 50,
  keywords: 100,
  keywordChars: 200,
  aiSummaryChars: 5_000,
  organizationChars: 300,
  urlChars: 2_048,
  upvotes: 1_000_000_000,
} as const

// arXiv taxonomy codes: cs.LG, math-ph, cond-mat.str-el, q-fin.RM, physics.comp-ph.
const CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$/

export function isArxivCategory(code: string): boolean {
  return code.length <= 40 && CATEGORY.test(code)
}

/** A value quoted for a message: short, and with control characters escaped. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
}

function text(raw: string | null | undefined, field: string, max: number, id: string): string {
  if (raw === null || raw === undefined) return ''
  const result = cleanField(raw, field, max)
  if (!result.ok) throw new ItemRejected(result.reason, id)
  return result.text
}

function required(raw: string | null, field: string, max: number, id: string): string {
  if (raw === null) throw new ItemRejected(`missing ${field}`, id)
  const value = text(raw, field, max, id)
  if (value === '') throw new ItemRejected(`${field} is empty`, id)
  return value
}

function textList(raw: string[], field: string, maxItems: number, maxChars: number, id: string) {
  if (raw.length > maxItems) {
    throw new ItemRejected(`${field} has ${raw.length} entries, limit is ${maxItems}`, id)
  }
  return raw.map((r, i) => text(r, `${field}[${i}]`, maxChars, id)).filter((s) => s !== '')
}

function categories(raw: string[], id: string): string[] {
  if (raw.length > LIMITS.categories) {
    throw new ItemRejected(
      `categories has ${raw.length} entries, limit is ${LIMITS.categories}`,
      id,
    )
  }
  const out: string[] = []
  raw.forEach((r, i) => {
    const code = decodeEntities(r).trim()
    if (!isArxivCategory(code)) {
      throw new ItemRejected(
        `categories[${i}] ${shown(code)} is not an arXiv category code such as cs.LG`,
        id,
      )
    }
    if (!out.includes(code)) out.push(code)
  })
  return out
}

function date(raw: string | null | undefined, field: string, id: string): Date | null {
  if (raw === null || raw === undefined || raw.trim() === '') return null
  const result = parseDate(decodeEntities(raw), field)
  if (!result.ok) throw new ItemRejected(result.reason, id)
  return result.date
}

function url(raw: string | null | undefined, id: string, arxiv: boolean): string | null {
  if (raw === null || raw === undefined || raw.trim() === '') return arxiv ? arxivAbsUrl(id) : null
  const value = decodeEntities(raw).trim()
  let parsed: URL | null = null
  if (value.length <= LIMITS.urlChars && !/[\s\p{Cc}]/u.test(value)) {
    try {
      parsed = new URL(value)
    } catch {
      parsed = null
    }
  }
  // The url becomes a link in every digest, so only plain web links are accepted.
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ItemRejected(`url ${shown(value)} is not an absolute http(s) URL`, id)
  }
  return parsed.href
}

/**
 * An https image link, or null. A thumbnail is decoration: one that is not plain https (an
 * http image would make the digest page mixed content, a data: or javascript: one is never
 * shown) is dropped, not a reason to lose the paper.
 */
function thumbnailUrl(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null
  const value = decodeEntities(raw).trim()
  if (value.length > LIMITS.urlChars || /[\s\p{Cc}]/u.test(value)) return null
  try {
    const parsed = new URL(value)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === ''
      ? parsed.href
      : null
  } catch {
    return null
  }
}

function upvotes(raw: number | null | undefined, id: string): number | null {
  if (raw === null || raw === undefined) return null
  if (!Number.isInteger(raw) || raw < 0 || raw > LIMITS.upvotes) {
    throw new ItemRejected(`upvotes must be a whole number from 0 to ${LIMITS.upvotes}`, id)
  }
  return raw
}

function version(fromId: number | null, given: number | null | undefined, id: string) {
  if (given === null || given === undefined) return fromId
  if (!Number.isInteger(given) || given < 1) {
    throw new ItemRejected('version must be a whole number of 1 or more', id)
  }
  if (fromId !== null && fromId !== given) {
    throw new ItemRejected(`version ${given} contradicts the id's v${fromId}`, id)
  }
  return given
}

/** Cleans and validates a draft; throws `ItemRejected` with the first problem found. */
export function buildPaper(draft: PaperDraft, source: SourceName): IncomingPaper {
  if (draft.id === null) throw new ItemRejected('missing id')
  const ids = normaliseId(decodeEntities(draft.id))
  if (!ids.ok) throw new ItemRejected(`invalid id ${shown(draft.id)}: ${ids.reason}`)
  const id = ids.id
  const paper: IncomingPaper = {
    id,
    title: required(draft.title, 'title', MAX_TITLE_CHARS, id),
    abstract: required(draft.abstract, 'abstract', MAX_ABSTRACT_CHARS, id),
    authors: textList(draft.authors ?? [], 'authors', LIMITS.authors, LIMITS.authorChars, id),
    categories: categories(draft.categories ?? [], id),
    publishedAt: date(draft.publishedAt, 'publishedAt', id),
    updatedAt: date(draft.updatedAt, 'updatedAt', id),
    url: url(draft.url, id, ids.arxiv),
    upvotes: upvotes(draft.upvotes, id),
    organization: text(draft.organization, 'organization', LIMITS.organizationChars, id) || null,
    thumbnailUrl: thumbnailUrl(draft.thumbnailUrl),
    aiKeywords: textList(
      draft.aiKeywords ?? [],
      'aiKeywords',
      LIMITS.keywords,
      LIMITS.keywordChars,
      id,
    ),
    aiSummary: text(draft.aiSummary, 'aiSummary', LIMITS.aiSummaryChars, id) || null,
    version: version(ids.version, draft.version, id),
    source,
  }
  if (draft.announceType !== undefined) paper.announceType = draft.announceType
  return paper
}

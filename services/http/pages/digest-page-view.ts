import {
  type ComposedDigest,
  httpUrlOrNull,
  plural,
  type RenderedPaper,
} from '../../domain/digest.js'
import type { TriageLinks } from '../../links.js'
import { cleanData } from '../../mail/clean-data.js'
import { THUMBNAIL } from '../../mail/digest-email-view.js'

/** Where a page of a long digest sits among the others; links keep the page's token. */
export interface DigestPagination {
  page: number
  pageCount: number
  previousUrl: string | null
  nextUrl: string | null
}

/** A sent digest in the browser: every paper (composed with `limit: Infinity`), or one page of them. */
export interface DigestPageData {
  digest: ComposedDigest
  /** Absent: the whole digest on one page. */
  pagination?: DigestPagination
  /** Whether the first group began on the page before (its heading says "continued"). */
  continuesGroup?: boolean
  /** Already worded for people, e.g. "sent on 28 November 2026". */
  dateLabel?: string
  /** Includes `?token=`. */
  preferencesUrl: string
  /** Each paper's "more like this" and mute links; none are shown without it. */
  triage?: (paperId: string) => TriageLinks
}

/** What the page shows of a paper's card: chips, thumbnail and why, as the email does. */
function cardView(p: RenderedPaper, thumbnails: boolean) {
  const { card } = p
  const chips = [
    p.upvotes ? `▲ ${plural(p.upvotes, 'upvote')}` : null,
    card.organization,
    card.arxivId && `arXiv ${card.arxivId}`,
    card.category,
    card.published,
  ].filter((chip): chip is string => chip !== null && chip !== '')
  return {
    chips,
    thumbnail:
      thumbnails && card.thumbnailUrl !== null
        ? { url: card.thumbnailUrl, width: THUMBNAIL.width, height: THUMBNAIL.height }
        : null,
    why: p.whyReasons.map((reason) => ({
      label: reason.label,
      words: reason.words.map((word) => ({
        text: word.text,
        author: word.where === 'author',
        category: word.where === 'category',
      })),
      moreWords: reason.moreWords > 0 ? `${reason.moreWords} more` : null,
    })),
  }
}

/**
 * Template data for the digest page. Titles and abstracts come from outside, so they get the
 * email's cleaning too: a bidi override in a title must not reorder the page around it.
 */
export function digestPageView(d: DigestPageData, options: { thumbnails?: boolean } = {}): object {
  const pagination = d.pagination && d.pagination.pageCount > 1 ? d.pagination : null
  return cleanData({
    heading: `Your digest: ${plural(d.digest.total, 'paper')}`,
    pagination: pagination && {
      ...pagination,
      label: `Page ${pagination.page} of ${pagination.pageCount}`,
    },
    digest: { subject: d.digest.subject },
    dateLabel: d.dateLabel ?? null,
    preferencesUrl: d.preferencesUrl,
    groups: d.digest.groups.map((g, i) => ({
      title: g.title,
      continued: i === 0 && (d.continuesGroup ?? false),
      // Keys hold whatever the subscriber typed; a counter makes a safe, unique fragment id.
      anchor: `group-${i + 1}`,
      papers: g.papers.map((p) => ({
        title: p.title,
        titleShortened: p.titleShortened,
        shortAbstract: p.shortAbstract,
        abstract: p.abstract,
        abstractShortened: p.abstractShortened,
        url: httpUrlOrNull(p.url),
        authors: p.authors,
        ...cardView(p, options.thumbnails ?? true),
        triage: d.triage ? d.triage(p.id) : null,
      })),
    })),
  }) as object
}

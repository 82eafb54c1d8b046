import {
  type ComposedDigest,
  httpUrlOrNull,
  paperMeta,
  paperWhy,
  plural,
} from '../../domain/digest.js'
import { cleanData } from '../../mail/clean-data.js'

/** A sent digest in the browser: every paper, composed with `limit: Infinity`. */
export interface DigestPageData {
  digest: ComposedDigest
  /** Already worded for people, e.g. "sent on 28 November 2026". */
  dateLabel?: string
  /** Includes `?token=`. */
  preferencesUrl: string
}

/**
 * Template data for the digest page. Titles and abstracts come from outside, so they get the
 * email's cleaning too: a bidi override in a title must not reorder the page around it.
 */
export function digestPageView(d: DigestPageData): object {
  const papers = d.digest.groups.reduce((n, g) => n + g.papers.length, 0)
  return cleanData({
    heading: `Your digest: ${plural(papers, 'paper')}`,
    digest: { subject: d.digest.subject },
    dateLabel: d.dateLabel ?? null,
    preferencesUrl: d.preferencesUrl,
    groups: d.digest.groups.map((g, i) => ({
      title: g.title,
      // Keys hold whatever the subscriber typed; a counter makes a safe, unique fragment id.
      anchor: `group-${i + 1}`,
      papers: g.papers.map((p) => ({
        title: p.title,
        titleShortened: p.titleShortened,
        shortAbstract: p.shortAbstract,
        abstract: p.abstract,
        abstractShortened: p.abstractShortened,
        url: httpUrlOrNull(p.url),
        meta: paperMeta(p),
        why: paperWhy(p),
      })),
    })),
  }) as object
}

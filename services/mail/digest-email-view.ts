import {
  type ComposedDigest,
  ELLIPSIS,
  plural,
  type RenderedPaper,
  type Segment,
} from '../domain/digest.js'
import type { TriageLinks } from '../links.js'

/** What the digest job knows besides the composed digest: the signed links and the schedule. */
export interface DigestEmailData {
  digest: ComposedDigest
  /** The digest on the web (`/digests/:id?token=…`). */
  webViewUrl: string
  /** Where "view all N papers" leads; the web view when not given. */
  viewAllUrl?: string
  preferencesUrl: string
  unsubscribeUrl: string
  /** The subscriber's feed page (`/feeds/<token>`), for following in a feed reader. */
  feedUrl: string
  /** Already worded for people, e.g. "daily at 08:00 (Europe/Paris)"; says why the email came. */
  frequencyLabel?: string
  /** Each paper's "more like this" and mute links; none are shown without it. */
  triage?: (paperId: string) => TriageLinks
}

/** Gmail clips messages over 102 KB, hiding the footer and its unsubscribe link; stay below. */
export const MAX_DIGEST_HTML_BYTES = 100_000
const PREVIEW_MAX = 140
const RULE_MAX = 72

const plain = (segments: readonly Segment[]) => segments.map((s) => s.text).join('')

/**
 * Highlighted text for the template: each highlight with the plain text before it, then the
 * plain rest. The template loops over highlights only and needs no `{{#if}}` per piece, which
 * makes filling a digest several times faster than looping over every segment.
 */
export interface MarkedText {
  marks: { before: string; mark: string }[]
  tail: string
}

export function markedText(segments: readonly Segment[]): MarkedText {
  const marks: MarkedText['marks'] = []
  let before = ''
  for (const segment of segments) {
    if (segment.highlight) {
      marks.push({ before, mark: segment.text })
      before = ''
    } else {
      before += segment.text
    }
  }
  return { marks, tail: before }
}

/**
 * The card's chips and thumbnail. The thumbnail has a fixed size (the layout does not move as
 * images load, or when they are blocked) and alt text that says what is missing. It links to
 * the paper, and only a paper with a link shows one: the text part has the paper's link once
 * and the HTML part the link and the image, so each image with its link keeps the two parts'
 * links paired (spam filters such as rspamd's URI_COUNT_ODD count them).
 */
function cardView(paper: RenderedPaper, link: string | null, thumbnails: boolean) {
  const { card } = paper
  const chips = [
    { text: paper.upvotes ? plural(paper.upvotes, 'upvote') : null, upvotes: true },
    { text: card.organization, upvotes: false },
    { text: card.arxivId && `arXiv ${card.arxivId}`, upvotes: false },
    { text: card.category, upvotes: false },
    { text: card.published, upvotes: false },
  ]
    .filter((chip): chip is { text: string; upvotes: boolean } => Boolean(chip.text))
    .map((chip, i) => ({ ...chip, separator: i > 0 }))
  return {
    chips,
    thumbnail:
      thumbnails && card.thumbnailUrl !== null && link !== null
        ? { url: card.thumbnailUrl, width: THUMBNAIL.width, height: THUMBNAIL.height }
        : null,
  }
}

/**
 * "Why this paper", always shown: each interest line or topic with the words it matched. Words
 * matched in an author's name or a category say so, since no highlight can show them; the
 * separators are decided here because templates have no `@first`.
 */
function whyView(paper: RenderedPaper) {
  return paper.whyReasons.map((reason, i) => ({
    label: reason.label,
    separator: i > 0,
    hasWords: reason.words.length > 0,
    words: reason.words.map((word, j) => ({
      text: word.text,
      separator: j > 0,
      author: word.where === 'author',
      category: word.where === 'category',
    })),
    moreWords: reason.moreWords > 0 ? `${reason.moreWords} more` : null,
  }))
}

/** Hugging Face thumbnails are 1.91:1 social cards; this keeps them small beside the text. */
export const THUMBNAIL = { width: 120, height: 63 } as const

function paperView(
  paper: RenderedPaper,
  n: number,
  url: (u: string | null) => string | null,
  thumbnails: boolean,
  triage: ((paperId: string) => TriageLinks) | undefined,
) {
  const link = url(paper.url)
  return {
    n,
    title: markedText(paper.title),
    titleShortened: paper.titleShortened,
    shortAbstract: markedText(paper.shortAbstract),
    abstractShortened: paper.abstractShortened,
    url: link,
    // The templates put "▲ 12 upvotes" and "diffusion · agent*" together: like the ellipsis of
    // a shortened text, every glyph of our own wording is markup, so values stay plain ASCII as
    // often as the paper's own text allows and print without references.
    authors: paper.authors,
    card: cardView(paper, link, thumbnails),
    why: whyView(paper),
    triage: triage ? triage(paper.id) : null,
  }
}

/**
 * The template data for one digest email. Everything a template would need logic for (plural
 * words, which separators to show) is decided here; the markup itself only ever comes from the
 * compiled template.
 */
export function digestView(
  d: DigestEmailData,
  digest: ComposedDigest,
  links: {
    productName: string
    web: (url: string) => string
    paper: (url: string | null) => string | null
    /** Whether cards show thumbnails (DIGEST_THUMBNAILS); they do unless told not to. */
    thumbnails?: boolean
  },
) {
  const shown = digest.total - digest.overflow
  const preview = previewOf(digest)
  const heading = `${plural(digest.total, 'new paper')} for you`
  let number = 0
  return {
    subject: digest.subject,
    productName: links.productName,
    heading,
    underline: '='.repeat(Math.min(heading.length, RULE_MAX)),
    summary:
      digest.overflow > 0
        ? `The best ${shown} of ${digest.total} papers that matched since your last digest, grouped by what they matched.`
        : 'Papers that matched since your last digest, grouped by what they matched, best first.',
    preview: preview.length > PREVIEW_MAX ? `${preview.slice(0, PREVIEW_MAX - 1)}…` : preview,
    webViewUrl: links.web(d.webViewUrl),
    groups: digest.groups.map((g) => ({
      title: g.title,
      underline: '-'.repeat(Math.min(g.title.length + 4, RULE_MAX)),
      // Numbered in reading order, so the text part reads 1, 2, 3 down the email.
      papers: g.papers.map((p) =>
        paperView(p, ++number, links.paper, links.thumbnails ?? true, d.triage),
      ),
    })),
    total: digest.total,
    overflow: digest.overflow,
    overflowText: `${plural(digest.overflow, 'more paper')} did not fit in this email.`,
    viewAllUrl: links.web(d.viewAllUrl ?? d.webViewUrl),
    preferencesUrl: links.web(d.preferencesUrl),
    unsubscribeUrl: links.web(d.unsubscribeUrl),
    feedUrl: links.web(d.feedUrl),
    frequencyLabel: d.frequencyLabel ?? null,
  }
}

/** The first two titles, in reading order, for the inbox preview line. */
function previewOf(digest: ComposedDigest): string {
  const titles: string[] = []
  for (const group of digest.groups) {
    for (const paper of group.papers) {
      titles.push(plain(paper.title) + (paper.titleShortened ? ELLIPSIS : ''))
      if (titles.length === 2) return titles.join(' · ')
    }
  }
  return titles.join(' · ')
}

/** The same digest minus its lowest-ranked paper, which moves to the overflow. */
export function withoutWorstPaper(digest: ComposedDigest): ComposedDigest {
  const ranks = digest.groups.flatMap((g) => g.papers.map((p) => p.rank))
  const worst = Math.max(...ranks)
  return {
    ...digest,
    overflow: digest.overflow + 1,
    groups: digest.groups
      .map((g) => ({ ...g, papers: g.papers.filter((p) => p.rank !== worst) }))
      .filter((g) => g.papers.length > 0),
  }
}

export function papersShown(digest: ComposedDigest): number {
  return digest.groups.reduce((n, g) => n + g.papers.length, 0)
}

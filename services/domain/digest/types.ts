import type { PaperCard, WhyReason } from './card.js'
import type { Segment } from './highlight.js'

/** A paper as the digest needs it; plain data, straight from the papers table. */
export interface DigestPaper {
  id: string
  title: string
  abstract: string
  authors: string[]
  url: string | null
  upvotes: number | null
  publishedAt: Date | null
  firstSeenAt: Date
  /** arXiv categories, the primary first; absent or empty when the sources gave none. */
  categories?: readonly string[]
  organization?: string | null
  thumbnailUrl?: string | null
}

/** Why a paper is in a digest: which interest line or topic matched, and the words it matched. */
export interface DigestReason {
  source:
    | { kind: 'interest'; line: string }
    | { kind: 'topic'; slug: string; name: string; line?: string }
  words: string[]
}

/** One matched paper; a paper matched by several interests carries several reasons. */
export interface DigestItem {
  paper: DigestPaper
  reasons: DigestReason[]
}

/** A paper ready for a template: text split into highlight segments, nothing left to decide. */
export interface RenderedPaper {
  id: string
  /** 1 = best paper of the whole digest; groups list their papers in this order. */
  rank: number
  /** Clipped to a sane length: a 5,000-character title is junk, not a title. */
  title: readonly Segment[]
  /** Whether title leaves something out: shown with an ellipsis. */
  titleShortened: boolean
  /** The whole abstract, for the web view. */
  abstract: readonly Segment[]
  /** About 300 characters, cut at a word boundary, for the email. */
  shortAbstract: readonly Segment[]
  /** Whether shortAbstract leaves something out: shown with an ellipsis. */
  abstractShortened: boolean
  /** "Ada Lovelace, Alan Turing, … et al." (the first five names); '' when unknown. */
  authors: string
  upvotes: number | null
  /** An http(s) link to the paper, or null when there is none to give. */
  url: string | null
  /** The interest lines and topic names that matched, best first. */
  why: string[]
  /** The card's chips and thumbnail. */
  card: PaperCard
  /** What matched, best first, with the words each matched wherever they matched. */
  whyReasons: WhyReason[]
}

export interface DigestGroup {
  /** The interest line or the topic name. */
  title: string
  /** `interest:<line>` or `topic:<slug>`. */
  key: string
  papers: RenderedPaper[]
}

export interface ComposedDigest {
  subject: string
  /** Every paper of the digest, in the email or not. */
  total: number
  /** What goes in the email, best group first. */
  groups: DigestGroup[]
  /** Papers not in the email (behind the "view all" link). */
  overflow: number
}

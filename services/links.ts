import type { FeedFormat } from './domain/feed.js'
import { signToken, type TokenPurpose } from './domain/tokens.js'
import type { TriageAction } from './domain/triage.js'

export interface LinkSubject {
  readonly id: number
  readonly tokenVersion: number
}

/** Every URL that goes into an email or a page, signed for its one purpose. */
export interface Links {
  token(purpose: TokenPurpose, subscriber: LinkSubject): string
  confirm(subscriber: LinkSubject): string
  preferences(subscriber: LinkSubject): string
  unsubscribe(subscriber: LinkSubject): string
  /** A sent digest in the browser; the token is the subscriber's, the path names the digest. */
  digest(subscriber: LinkSubject, digestId: number): string
  /**
   * The subscriber's feed in one format (`/feeds/<token>.atom`), or without a format the page
   * that explains it. The token is in the path, not the query: feed readers keep the address
   * as given, and some drop or reorder query strings.
   */
  feed(subscriber: LinkSubject, format?: FeedFormat): string
  /**
   * The "more like this" / "mute this author" / "mute this word" links of one subscriber's
   * papers (`/triage/<action>?p=<paper>&token=…`): signed once, then one short URL per paper
   * and action. The token is the subscriber's, revoked like every other link of theirs.
   */
  triage(subscriber: LinkSubject): (paperId: string) => TriageLinks
}

export type TriageLinks = Record<TriageAction, string>

export function createLinks(publicUrl: string, secret: string, now: () => Date): Links {
  const token = (purpose: TokenPurpose, s: LinkSubject) =>
    signToken(secret, { purpose, subscriberId: s.id, version: s.tokenVersion }, now())
  const url = (path: string, purpose: TokenPurpose, s: LinkSubject) =>
    `${publicUrl}${path}?token=${encodeURIComponent(token(purpose, s))}`
  return {
    token,
    confirm: (s) => url('/confirm', 'confirm', s),
    preferences: (s) => url('/preferences', 'preferences', s),
    unsubscribe: (s) => url('/unsubscribe', 'unsubscribe', s),
    digest: (s, digestId) => url(`/digests/${digestId}`, 'digest', s),
    // A token is base64url and one dot, nothing a path needs escaped.
    feed: (s, format) => `${publicUrl}/feeds/${token('feed', s)}${format ? `.${format}` : ''}`,
    triage: (s) => {
      // A token is base64url and one dot: nothing a query needs escaped.
      const signed = token('triage', s)
      return (paperId) => {
        const q = `?p=${encodeURIComponent(paperId)}&token=${signed}`
        return {
          more: `${publicUrl}/triage/more${q}`,
          author: `${publicUrl}/triage/author${q}`,
          word: `${publicUrl}/triage/word${q}`,
        }
      }
    },
  }
}

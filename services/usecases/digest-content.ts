import type { Database } from '../db/client.js'
import {
  type DigestContentRow,
  nextDigestContent,
  sentDigestContent,
} from '../db/repositories/digest-content.js'
import { listMutes } from '../db/repositories/mutes.js'
import {
  type ComposedDigest,
  composeDigest,
  type DigestItem,
  type DigestPaper,
} from '../domain/digest.js'
import { type MuteFilter, muteFilter, NOTHING_MUTED } from '../domain/mutes.js'
import { describeSchedule } from '../domain/schedule-label.js'
import { TRENDING } from '../domain/seed-topics.js'
import type { LinkSubject, Links } from '../links.js'
import type { MailRenderer, RenderedEmail } from '../mail/mail-renderer.js'
import type { TopicNames } from './topic-names.js'

// What a digest holds and how it reads, for every place that shows one: the email a claim
// sends (jobs/send-digest.ts), `paperboy preview`, and the digest's page in the browser. The
// papers come from one SQL selection (db/repositories/digest-content.ts), shared with the claim.

export interface DigestContentDeps {
  readonly db: Database
  readonly topicNames: TopicNames
  readonly now: () => Date
}

/** The composer's input: papers with their reasons, and apart, those trending put there. */
export type ComposerInput = Parameters<typeof composeDigest>[0]

/**
 * The subscriber's muted terms as one `NOT (term1 OR term2 …)`, read when a digest is
 * composed: the email, the preview, the web view and the feed all drop the same papers.
 */
export async function mutedFor(db: Database, subscriberId: number): Promise<MuteFilter> {
  return muteFilter(await listMutes(db, subscriberId))
}

/**
 * The rows a digest shows, minus the muted papers. Muting applies to whatever brought the
 * paper (an interest line, a topic, trending): a muted author is muted everywhere.
 */
export async function composerInput(
  rows: readonly DigestContentRow[],
  topicNames: TopicNames,
  muted: MuteFilter = NOTHING_MUTED,
): Promise<ComposerInput> {
  const names = await topicNames()
  const items: DigestItem[] = []
  const trending: DigestPaper[] = []
  for (const row of rows) {
    if (muted(row.paper)) continue
    const paper: DigestPaper = { ...row.paper }
    const reasons = row.reasons.filter((r) => r.slug !== TRENDING)
    if (reasons.length < row.reasons.length) trending.push(paper)
    if (reasons.length === 0) continue
    items.push({
      paper,
      reasons: reasons.map((r) => ({
        source:
          r.kind === 'interest'
            ? { kind: 'interest', line: r.line ?? '' }
            : {
                kind: 'topic',
                slug: r.slug ?? '',
                name: names.get(r.slug ?? '') ?? r.slug ?? '',
                ...(r.line ? { line: r.line } : {}),
              },
        words: [...r.words],
      })),
    })
  }
  trending.sort((a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0))
  return { items, trending }
}

/** A digest's email, composed from its papers. */
export async function composeDigestOf(
  rows: readonly DigestContentRow[],
  topicNames: TopicNames,
  muted: MuteFilter = NOTHING_MUTED,
): Promise<ComposedDigest> {
  return composeDigest(await composerInput(rows, topicNames, muted))
}

/**
 * What the subscriber's next digest holds if it were sent now: the papers a claim would take
 * (the same SQL, nothing written), composed as the email composes them.
 */
export async function nextDigest(
  deps: DigestContentDeps,
  subscriberId: number,
): Promise<ComposedDigest> {
  const [rows, muted] = await Promise.all([
    nextDigestContent(deps.db, subscriberId, deps.now()),
    mutedFor(deps.db, subscriberId),
  ])
  return composeDigestOf(rows, deps.topicNames, muted)
}

/**
 * A sent digest's papers, for its pages in the browser (which list every one), minus those
 * muted since: muting from the web view takes the paper's author or word off the page.
 */
export async function sentDigestInput(
  deps: Pick<DigestContentDeps, 'db' | 'topicNames'>,
  digestId: number,
  subscriberId: number,
): Promise<ComposerInput> {
  const [rows, muted] = await Promise.all([
    sentDigestContent(deps.db, digestId),
    mutedFor(deps.db, subscriberId),
  ])
  return composerInput(rows, deps.topicNames, muted)
}

/** The digest email, with the links every one carries. */
export function renderDigestEmail(
  deps: { readonly renderer: MailRenderer; readonly links: Links },
  subscriber: LinkSubject & Parameters<typeof describeSchedule>[0],
  digest: ComposedDigest,
  webViewUrl: string,
): Promise<RenderedEmail> {
  return deps.renderer.digest({
    digest,
    webViewUrl,
    preferencesUrl: deps.links.preferences(subscriber),
    unsubscribeUrl: deps.links.unsubscribe(subscriber),
    feedUrl: deps.links.feed(subscriber),
    frequencyLabel: describeSchedule(subscriber),
    triage: deps.links.triage(subscriber),
  })
}

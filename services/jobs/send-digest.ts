import { UnrecoverableError } from 'bullmq'
import type { Database } from '../db/client.js'
import {
  claimDigest,
  type DigestContentRow,
  type DigestPaperRow,
  digestContent,
  finishDigest,
  openDigestFor,
  releaseDigest,
} from '../db/repositories/digests.js'
import { markBounced } from '../db/repositories/subscribers.js'
import { listTopics } from '../db/repositories/topics.js'
import {
  type ComposedDigest,
  composeDigest,
  type DigestItem,
  type DigestPaper,
} from '../domain/digest.js'
import { describeSchedule } from '../domain/schedule-label.js'
import { TRENDING } from '../domain/seed-topics.js'
import { classifySendError } from '../mail/smtp-errors.js'
import type { DigestJob } from '../queue/queues.js'
import type { TransactionalDeps } from './send-transactional.js'

/** Digests need exactly what every email needs. */
export type DigestDeps = TransactionalDeps

export type DigestResult = 'sent' | 'empty' | 'skipped' | 'uncertain' | 'failed'

/**
 * Sends one subscriber's digest for one period, at most once. The digest row moves
 * pending → sending → sent in transactions; the matches it carries are attached to it when it
 * leaves `pending`, so a paper is in at most one digest.
 *
 * The one case no transaction can settle is a crash after the SMTP server accepted the message
 * and before `sent` was recorded. A retry then finds the row still `sending` and cannot know
 * whether the email went out. It marks the digest `uncertain` and does not send again: a
 * missing digest (its papers stay readable at /digests/:id) is better than a duplicate.
 */
export async function sendDigest(job: DigestJob, deps: DigestDeps): Promise<DigestResult> {
  // The tick opened the period's row: one statement claims it and reads the subscriber.
  let claim = await claimDigest(
    deps.db,
    { subscriberId: job.subscriberId, period: job.period },
    deps.now(),
  )
  if (claim.kind === 'missing') {
    // An extra digest (`digest run --now`), or a period opened by no tick: open it first.
    const found = await openDigestFor(deps.db, job.subscriberId, job.period, job.extra)
    if (found?.recipient.status !== 'active' || !found.digest) return 'skipped'
    claim = await claimDigest(deps.db, { id: found.digest.id }, deps.now())
  }
  switch (claim.kind) {
    case 'missing':
    case 'inactive':
      return 'skipped'
    case 'empty':
      return 'empty'
    case 'done':
      if (claim.status === 'sending') return interrupted(claim.digestId, claim.recipient.id, deps)
      return claim.status === 'sent' ? 'sent' : claim.status === 'empty' ? 'empty' : 'skipped'
  }
  const subscriber = claim.recipient
  const digest = { id: claim.digestId }

  const composed = composeDigest(toComposeInput(claim.content, await topicNames(deps.db)))
  const unsubscribeUrl = deps.links.unsubscribe(subscriber)
  const webViewUrl = deps.links.digest(subscriber, digest.id)
  const email = await deps.renderer.digest({
    digest: composed,
    webViewUrl,
    preferencesUrl: deps.links.preferences(subscriber),
    unsubscribeUrl,
    feedUrl: deps.links.feed(subscriber),
    frequencyLabel: describeSchedule(subscriber),
  })
  const messageId = `<digest-${digest.id}-${subscriber.id}@${senderDomain(deps.mailFrom)}>`
  try {
    await deps.mailer.send({
      from: deps.mailFrom,
      to: subscriber.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      messageId,
      // RFC 2369 and RFC 8058: mailbox providers show their own unsubscribe button and POST here.
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'Auto-Submitted': 'auto-generated',
      },
    })
  } catch (error) {
    const failure = classifySendError(error)
    if (failure.kind === 'bounce') {
      await markBounced(deps.db, subscriber.id, `smtp: ${failure.reason}`, deps.now())
      await finishDigest(
        deps.db,
        digest.id,
        { status: 'failed', error: failure.reason },
        deps.now(),
      )
      throw new UnrecoverableError(`address rejected: ${failure.reason}`)
    }
    // Known not to have been accepted: back to pending, so the retry sends these same papers.
    await releaseDigest(deps.db, digest.id, failure.reason)
    throw error
  }
  await finishDigest(
    deps.db,
    digest.id,
    { status: 'sent', subject: email.subject, messageId },
    deps.now(),
  )
  return 'sent'
}

/** A retry found the digest `sending`: whether the email went out is unknowable. */
async function interrupted(
  digestId: number,
  subscriberId: number,
  deps: DigestDeps,
): Promise<DigestResult> {
  await finishDigest(
    deps.db,
    digestId,
    { status: 'uncertain', error: 'interrupted after handing the message to SMTP' },
    deps.now(),
  )
  deps.logger.warn({ digestId, subscriberId }, 'digest interrupted mid-send; not sending again')
  return 'uncertain'
}

/** The composer's input for a digest's papers, or for what a preview would hold. */
export async function digestInput(
  db: Database,
  digestId: number,
): Promise<Parameters<typeof composeDigest>[0]> {
  return toComposeInput(await digestContent(db, digestId), await topicNames(db))
}

/** Topic names change only when an operator edits them; a digest may see them a minute late. */
const NAMES_TTL_MS = 60_000
const namesCache = new WeakMap<Database, { at: number; names: Map<string, string> }>()

export async function topicNames(db: Database): Promise<Map<string, string>> {
  const cached = namesCache.get(db)
  if (cached && Date.now() - cached.at < NAMES_TTL_MS) return cached.names
  const names = new Map((await listTopics(db)).map((t) => [t.slug, t.name]))
  namesCache.set(db, { at: Date.now(), names })
  return names
}

export function toComposeInput(
  rows: readonly (Pick<DigestContentRow, 'reasons'> & { readonly paper: DigestPaperRow })[],
  names: ReadonlyMap<string, string>,
) {
  const items: DigestItem[] = []
  const trending: DigestPaper[] = []
  for (const row of rows) {
    const paper: DigestPaper = {
      id: row.paper.id,
      title: row.paper.title,
      abstract: row.paper.abstract,
      authors: row.paper.authors,
      url: row.paper.url,
      upvotes: row.paper.upvotes,
      publishedAt: row.paper.publishedAt,
      firstSeenAt: row.paper.firstSeenAt,
    }
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

export type { ComposedDigest }

function senderDomain(from: string): string {
  const match = from.match(/@([^>\s]+)>?\s*$/)
  return match?.[1] ?? 'localhost'
}

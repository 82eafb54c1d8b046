import {
  claimDigest,
  emptyMutedDigest,
  type FinishDigest,
  openDigestFor,
  releaseDigest,
} from '../db/repositories/digest-delivery.js'
import { explainError } from '../describe-error.js'
import type { DigestJob } from '../queue/queues.js'
import { composeDigestOf, mutedFor, renderDigestEmail } from '../usecases/digest-content.js'
import { recordAcceptedSend } from './record-accepted-send.js'
import { sendToSubscriber } from './send-to-subscriber.js'
import type { TransactionalDeps } from './send-transactional.js'

/** What every email needs, and where a digest's outcome is recorded. */
export interface DigestDeps extends TransactionalDeps {
  readonly finishDigest: FinishDigest
}

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

  // Muted papers stay attached to this digest (so no later one carries them) but are not shown.
  const composed = await composeDigestOf(
    claim.content,
    deps.topicNames,
    await mutedFor(deps.db, subscriber.id),
  )
  if (composed.total === 0) {
    await emptyMutedDigest(deps.db, digest.id)
    return 'empty'
  }
  const email = await renderDigestEmail(
    deps,
    subscriber,
    composed,
    deps.links.digest(subscriber, digest.id),
  )
  const unsubscribeUrl = deps.links.unsubscribe(subscriber)
  const messageId = `<digest-${digest.id}-${subscriber.id}@${senderDomain(deps.mailFrom)}>`
  const message = {
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
  }
  await sendToSubscriber(deps, subscriber.id, message, {
    bounced: (reason) =>
      deps.finishDigest(digest.id, { status: 'failed', error: reason }, deps.now()),
    // Known not to have been accepted: back to pending, so the retry sends these same papers.
    willRetry: (reason) => releaseDigest(deps.db, digest.id, reason),
  })
  await recordAcceptedSend(
    () =>
      deps.finishDigest(
        digest.id,
        { status: 'sent', subject: email.subject, messageId },
        deps.now(),
      ),
    (error, waitMs) =>
      deps.logger.warn(
        { digestId: digest.id, err: explainError(error), retryInMs: waitMs },
        'digest sent but the database is unreachable; recording it again',
      ),
  )
  return 'sent'
}

/** A retry found the digest `sending`: whether the email went out is unknowable. */
async function interrupted(
  digestId: number,
  subscriberId: number,
  deps: DigestDeps,
): Promise<DigestResult> {
  await deps.finishDigest(
    digestId,
    { status: 'uncertain', error: 'interrupted after handing the message to SMTP' },
    deps.now(),
  )
  deps.logger.warn({ digestId, subscriberId }, 'digest interrupted mid-send; not sending again')
  return 'uncertain'
}

function senderDomain(from: string): string {
  const match = from.match(/@([^>\s]+)>?\s*$/)
  return match?.[1] ?? 'localhost'
}

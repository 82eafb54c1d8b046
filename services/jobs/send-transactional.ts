import { UnrecoverableError } from 'bullmq'
import type { Database } from '../db/client.js'
import { findSubscriber, markBounced } from '../db/repositories/subscribers.js'
import { listTopics } from '../db/repositories/topics.js'
import { describeSchedule } from '../domain/schedule-label.js'
import type { Links } from '../links.js'
import type { Logger } from '../logger.js'
import type { MailRenderer, RenderedEmail } from '../mail/render.js'
import { classifySendError } from '../mail/smtp-errors.js'
import type { Mailer } from '../mail/transport.js'
import type { TransactionalJob } from '../queue/queues.js'

export interface TransactionalDeps {
  readonly db: Database
  readonly mailer: Mailer
  readonly renderer: MailRenderer
  readonly links: Links
  readonly mailFrom: string
  readonly logger: Logger
  readonly now: () => Date
}

export type TransactionalResult = 'sent' | 'skipped'

/**
 * Sends a confirmation or an "already subscribed" note. The subscriber is read again here:
 * if they confirmed, unsubscribed or deleted their data since the job was queued, the
 * email no longer applies and is dropped.
 */
export async function sendTransactional(
  job: TransactionalJob,
  deps: TransactionalDeps,
): Promise<TransactionalResult> {
  const subscriber = await findSubscriber(deps.db, job.subscriberId)
  const expectedStatus = job.kind === 'confirm' ? 'pending' : 'active'
  if (!subscriber || subscriber.status !== expectedStatus) return 'skipped'

  let email: RenderedEmail
  if (job.kind === 'confirm') {
    const topicNames = new Map((await listTopics(deps.db)).map((t) => [t.slug, t.name]))
    email = await deps.renderer.confirm({
      confirmUrl: deps.links.confirm(subscriber),
      topics: subscriber.topics.map((slug) => ({ name: topicNames.get(slug) ?? slug })),
      interestCount: subscriber.interests.length,
      frequencyLabel: describeSchedule(subscriber),
    })
  } else {
    email = await deps.renderer.alreadySubscribed({
      preferencesUrl: deps.links.preferences(subscriber),
      unsubscribeUrl: deps.links.unsubscribe(subscriber),
    })
  }

  try {
    await deps.mailer.send({
      from: deps.mailFrom,
      to: subscriber.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: { 'Auto-Submitted': 'auto-generated' },
    })
  } catch (error) {
    const failure = classifySendError(error)
    if (failure.kind === 'bounce') {
      await markBounced(deps.db, subscriber.id, `smtp: ${failure.reason}`, deps.now())
      deps.logger.warn(
        { subscriberId: subscriber.id, reason: failure.reason },
        'address bounced; suppressed',
      )
      throw new UnrecoverableError(`address rejected: ${failure.reason}`)
    }
    throw error
  }
  return 'sent'
}

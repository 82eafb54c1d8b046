import type { Database } from '../db/client.js'
import { findSubscriber } from '../db/repositories/subscribers.js'
import { describeSchedule } from '../domain/schedule-label.js'
import type { Links } from '../links.js'
import type { Logger } from '../logger.js'
import type { MailRenderer, RenderedEmail } from '../mail/mail-renderer.js'
import type { Mailer } from '../mail/transport.js'
import type { TransactionalJob } from '../queue/queues.js'
import type { TopicNames } from '../usecases/topic-names.js'
import { sendToSubscriber } from './send-to-subscriber.js'

export interface TransactionalDeps {
  readonly db: Database
  readonly mailer: Mailer
  readonly renderer: MailRenderer
  readonly links: Links
  readonly mailFrom: string
  readonly logger: Logger
  readonly now: () => Date
  readonly topicNames: TopicNames
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
    const topicNames = await deps.topicNames()
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

  await sendToSubscriber(deps, subscriber.id, {
    from: deps.mailFrom,
    to: subscriber.email,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: { 'Auto-Submitted': 'auto-generated' },
  })
  return 'sent'
}

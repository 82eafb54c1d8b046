import { UnrecoverableError } from 'bullmq'
import type { Database } from '../db/client.js'
import { markBounced } from '../db/repositories/subscribers.js'
import type { Logger } from '../logger.js'
import { classifySendError } from '../mail/smtp-errors.js'
import type { Mailer, OutgoingMessage } from '../mail/transport.js'

/** What to record when a send fails, besides what sendToSubscriber does itself. */
export interface SendFailureHooks {
  /** The address refused the message for good; it is already marked bounced. */
  readonly bounced?: (reason: string) => Promise<void>
  /** The message was not accepted, and the job will be retried. */
  readonly willRetry?: (reason: string) => Promise<void>
}

/**
 * Hands one email for a subscriber to the mailer. A permanent refusal of the address (a 5xx
 * reply to the recipient) marks it bounced, so that nothing more is sent to it, and fails the
 * job for good (UnrecoverableError): retrying would only hurt the sender's reputation. Any
 * other failure is thrown as it is, for the queue to retry with back-off.
 */
export async function sendToSubscriber(
  deps: {
    readonly db: Database
    readonly mailer: Mailer
    readonly logger: Logger
    readonly now: () => Date
  },
  subscriberId: number,
  message: OutgoingMessage,
  hooks: SendFailureHooks = {},
): Promise<void> {
  try {
    await deps.mailer.send(message)
  } catch (error) {
    const failure = classifySendError(error)
    if (failure.kind === 'bounce') {
      await markBounced(deps.db, subscriberId, `smtp: ${failure.reason}`, deps.now())
      await hooks.bounced?.(failure.reason)
      deps.logger.warn({ subscriberId, reason: failure.reason }, 'address bounced; suppressed')
      throw new UnrecoverableError(`address rejected: ${failure.reason}`)
    }
    await hooks.willRetry?.(failure.reason)
    throw error
  }
}

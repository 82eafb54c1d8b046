import { type ConnectionOptions, type JobsOptions, Queue } from 'bullmq'

export const QUEUE = { mail: 'mail' } as const

/** Jobs carry ids only; the processor re-reads the subscriber, so a stale job cannot send stale data. */
export interface MailJob {
  readonly kind: 'confirm' | 'already-subscribed'
  readonly subscriberId: number
}

export interface Queues {
  readonly mail: Queue<MailJob>
  close(): Promise<void>
}

export interface RetryPolicy {
  readonly attempts: number
  /** First retry delay; each later one doubles it. */
  readonly backoffMs: number
}

/** About 4 hours in all: greylisting and brief outages resolve well within that. */
export const DEFAULT_MAIL_RETRY: RetryPolicy = { attempts: 9, backoffMs: 30_000 }

export function mailJobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.2 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  }
}

export function createQueues(
  connection: ConnectionOptions,
  prefix: string,
  retry: RetryPolicy,
): Queues {
  const mail = new Queue<MailJob>(QUEUE.mail, {
    connection,
    prefix,
    defaultJobOptions: mailJobOptions(retry),
  })
  mail.on('error', () => {})
  return {
    mail,
    async close() {
      await mail.close()
    },
  }
}

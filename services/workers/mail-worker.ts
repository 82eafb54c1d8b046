import { type ConnectionOptions, Worker } from 'bullmq'
import { sendTransactional, type TransactionalDeps } from '../jobs/send-transactional.js'
import { type MailJob, QUEUE } from '../queue/queues.js'

export interface MailWorkerOptions {
  readonly connection: ConnectionOptions
  readonly prefix: string
  /** MAIL_RATE_PER_SECOND: BullMQ enforces it across every worker sharing the queue. */
  readonly ratePerSecond: number
  readonly concurrency?: number
}

/** Consumes the mail queue; retries and back-off are the queue's job options, bounces are final. */
export function startMailWorker(
  deps: TransactionalDeps,
  options: MailWorkerOptions,
): Worker<MailJob> {
  const worker = new Worker<MailJob>(QUEUE.mail, async (job) => sendTransactional(job.data, deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
    limiter: { max: Math.max(1, Math.round(options.ratePerSecond)), duration: 1000 },
  })
  worker.on('error', (error) => deps.logger.error({ err: error }, 'mail worker error'))
  worker.on('failed', (job, error) =>
    deps.logger.warn(
      { jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
      'mail job failed',
    ),
  )
  return worker
}

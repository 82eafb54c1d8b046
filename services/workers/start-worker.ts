import { type ConnectionOptions, type Job, Worker, type WorkerOptions } from 'bullmq'
import { explainError } from '../describe-error.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'

export interface WorkerSettings {
  readonly connection: ConnectionOptions
  readonly prefix: string
  readonly logger: Logger
  readonly metrics?: Metrics
  /** How long a job's lock lives; a worker that dies loses its jobs to others after this. */
  readonly lockDurationMs?: number
}

/** A BullMQ worker with the habits every queue here shares: errors logged, failures explained. */
export function startWorker<T, R>(
  queue: string,
  process: (job: Job<T>, token?: string) => Promise<R>,
  settings: WorkerSettings,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<T, R> {
  // What BullMQ stores as the failure (and `--wait` prints) is the cause, not the SQL text.
  const explained = async (job: Job<T>, token?: string) => {
    try {
      return await process(job, token)
    } catch (error) {
      throw explainError(error)
    }
  }
  const worker = new Worker<T, R>(queue, explained, {
    connection: settings.connection,
    prefix: settings.prefix,
    ...(settings.lockDurationMs
      ? { lockDuration: settings.lockDurationMs, stalledInterval: settings.lockDurationMs }
      : {}),
    ...options,
  })
  const observe = (job: Job<T> | undefined, outcome: 'completed' | 'failed') => {
    if (settings.metrics && job?.processedOn && job.finishedOn) {
      settings.metrics.jobDuration.observe(
        { queue, outcome },
        (job.finishedOn - job.processedOn) / 1000,
      )
    }
  }
  worker.on('completed', (job) => observe(job, 'completed'))
  worker.on('failed', (job) => observe(job, 'failed'))
  worker.on('error', (error) => settings.logger.error({ err: error, queue }, 'worker error'))
  worker.on('failed', (job, error) =>
    settings.logger.warn(
      { queue, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
      'job failed',
    ),
  )
  return worker
}

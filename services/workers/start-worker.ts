import { type ConnectionOptions, type Job, Worker, type WorkerOptions } from 'bullmq'
import type { Logger } from '../logger.js'

export interface WorkerSettings {
  readonly connection: ConnectionOptions
  readonly prefix: string
  readonly logger: Logger
  /** How long a job's lock lives; a worker that dies loses its jobs to others after this. */
  readonly lockDurationMs?: number
}

/** A BullMQ worker with the habits every queue here shares: errors logged, failures explained. */
export function startWorker<T, R>(
  queue: string,
  process: (job: Job<T>) => Promise<R>,
  settings: WorkerSettings,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<T, R> {
  const worker = new Worker<T, R>(queue, process, {
    connection: settings.connection,
    prefix: settings.prefix,
    ...(settings.lockDurationMs
      ? { lockDuration: settings.lockDurationMs, stalledInterval: settings.lockDurationMs }
      : {}),
    ...options,
  })
  worker.on('error', (error) => settings.logger.error({ err: error, queue }, 'worker error'))
  worker.on('failed', (job, error) =>
    settings.logger.warn(
      { queue, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
      'job failed',
    ),
  )
  return worker
}

import { DelayedError, type Job, UnrecoverableError, type Worker } from 'bullmq'
import type { Config } from '../config.js'
import { matchPapersJob } from '../jobs/match-papers.js'
import { type MailJobDeps, processMailJob } from '../jobs/process-mail-job.js'
import { runPruneMatches } from '../jobs/prune-matches.js'
import { type CommandDeps, runCommand } from '../jobs/run-command.js'
import { runScheduledIngest } from '../jobs/scheduled-ingest.js'
import type { Metrics } from '../metrics.js'
import {
  type CommandJob,
  type IngestJob,
  type MailJob,
  type MatchJob,
  QUEUE,
  type Queues,
} from '../queue/queues.js'
import type { IngestDeps } from '../usecases/ingest.js'
import type { Matcher } from '../usecases/matcher.js'
import { queueDueDigests } from '../usecases/queue-due-digests.js'
import { LostJobRecovery } from '../usecases/recover-lost-jobs.js'
import { startWorker, type WorkerSettings } from './start-worker.js'

/** Mail jobs in flight per worker process. */
export const MAIL_CONCURRENCY = 20

export interface WorkerContext {
  readonly config: Config
  readonly queues: Queues
  /** Its renderer's templates compiled (compileAll): a broken template has stopped start-up. */
  readonly mailDeps: MailJobDeps
  readonly commandDeps: CommandDeps
  readonly ingestDeps: IngestDeps
  readonly matcher: Matcher
  readonly metrics: Metrics
  readonly settings: WorkerSettings
  /** How old unfinished work must be before the tick queues it again (RECOVER_AFTER_MS). */
  readonly recoverAfterMs?: number
}

/** Every queue's worker for one process; the caller closes them before their connections. */
export function startWorkers(ctx: WorkerContext): Worker[] {
  const { config, queues, mailDeps, metrics, settings } = ctx
  const { db, now, logger } = mailDeps
  const recovery = new LostJobRecovery(ctx.recoverAfterMs)
  return [
    startWorker<MailJob, unknown>(
      QUEUE.mail,
      async (job: Job<MailJob>, token?: string) => {
        try {
          const result = await processMailJob(job, token, mailDeps)
          if (job.data.kind === 'digest') metrics.digests.inc({ result })
          return result
        } catch (error) {
          // A digest held back by a pause has no result yet.
          if (job.data.kind === 'digest' && !(error instanceof DelayedError)) {
            metrics.digests.inc({
              result: error instanceof UnrecoverableError ? 'bounced' : 'error',
            })
          }
          throw error
        }
      },
      settings,
      {
        // Sending is mostly waiting on SMTP and PostgreSQL; the database pool is sized to match.
        concurrency: MAIL_CONCURRENCY,
        // Shared by every worker of the queue: MAIL_RATE_PER_SECOND holds for the whole deployment.
        limiter: { max: Math.max(1, Math.round(config.mailRatePerSecond)), duration: 1000 },
      },
    ),
    startWorker<MatchJob, unknown>(QUEUE.match, matchPapersJob(ctx.matcher, metrics), settings, {
      concurrency: 1,
    }),
    startWorker<Record<string, never>, unknown>(
      QUEUE.tick,
      async (job) => {
        if (job.name === 'prune') return runPruneMatches({ db, now })
        const due = await queueDueDigests({ db, queues, now })
        const recovered = await recovery.sweep({ db, queues, now })
        if (recovered.digests + recovered.papers > 0) {
          logger.warn(recovered, 'queued again work the queue had lost')
        }
        return { queued: due.queued.length, recovered }
      },
      settings,
      {
        concurrency: 1,
      },
    ),
    startWorker<CommandJob, unknown>(
      QUEUE.commands,
      (job) => runCommand(job.data, ctx.commandDeps),
      settings,
      { concurrency: 1 },
    ),
    startWorker<IngestJob, unknown>(
      QUEUE.ingest,
      (job) => runScheduledIngest(job.data, { ...ctx.ingestDeps, logger }),
      settings,
      { concurrency: 1 },
    ),
  ]
}

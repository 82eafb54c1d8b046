import { type Job, UnrecoverableError, type Worker } from 'bullmq'
import type { Config } from '../config.js'
import type { DatabaseHandle } from '../db/client.js'
import { matchPapersJob } from '../jobs/match-papers.js'
import { runPruneMatches } from '../jobs/prune-matches.js'
import { runCommand } from '../jobs/run-command.js'
import { runScheduledIngest } from '../jobs/scheduled-ingest.js'
import { sendMail } from '../jobs/send-mail.js'
import type { Links } from '../links.js'
import type { Logger } from '../logger.js'
import type { MailRenderer } from '../mail/render.js'
import type { Mailer } from '../mail/transport.js'
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
import { Matcher } from '../usecases/matcher.js'
import { queueDueDigests } from '../usecases/queue-due-digests.js'
import type { TopicNames } from '../usecases/topic-names.js'
import { startWorker, type WorkerSettings } from './start-worker.js'

/** Mail jobs in flight per worker process. */
export const MAIL_CONCURRENCY = 20

export interface WorkerContext {
  readonly config: Config
  readonly database: DatabaseHandle
  readonly queues: Queues
  readonly mailer: Mailer
  /** With its templates compiled (compileAll): a broken template has stopped start-up. */
  readonly renderer: MailRenderer
  readonly links: Links
  readonly ingestDeps: IngestDeps
  readonly metrics: Metrics
  readonly logger: Logger
  readonly now: () => Date
  readonly topicNames: TopicNames
  readonly settings: WorkerSettings
}

/** Every queue's worker for one process; the caller closes them before their connections. */
export function startWorkers(ctx: WorkerContext): Worker[] {
  const { config, database, queues, metrics, settings, now } = ctx
  const mailDeps = {
    db: database.db,
    mailer: ctx.mailer,
    renderer: ctx.renderer,
    links: ctx.links,
    mailFrom: config.mailFrom,
    logger: ctx.logger,
    now,
    topicNames: ctx.topicNames,
  }
  // One matcher per process: its index is built once and kept current between batches.
  const matcher = new Matcher(database.db, ctx.logger, now)
  return [
    startWorker<MailJob, unknown>(
      QUEUE.mail,
      async (job: Job<MailJob>) => {
        try {
          const result = await sendMail(job.data, mailDeps)
          if (job.data.kind === 'digest') metrics.digests.inc({ result })
          return result
        } catch (error) {
          if (job.data.kind === 'digest') {
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
    startWorker<MatchJob, unknown>(QUEUE.match, matchPapersJob(matcher, metrics), settings, {
      concurrency: 1,
    }),
    startWorker<Record<string, never>, unknown>(
      QUEUE.tick,
      (job) =>
        job.name === 'prune'
          ? runPruneMatches({ db: database.db, now })
          : queueDueDigests({ db: database.db, queues, now }),
      settings,
      {
        concurrency: 1,
      },
    ),
    startWorker<CommandJob, unknown>(
      QUEUE.commands,
      (job) =>
        runCommand(job.data, {
          ingest: ctx.ingestDeps,
          digests: { db: database.db, queues, now },
          preview: { ...mailDeps, renderer: ctx.renderer },
        }),
      settings,
      { concurrency: 1 },
    ),
    startWorker<IngestJob, unknown>(
      QUEUE.ingest,
      (job) => runScheduledIngest(job.data, { ...ctx.ingestDeps, logger: ctx.logger }),
      settings,
      { concurrency: 1 },
    ),
  ]
}

import { type Job, type Processor, QueueEvents, type Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Config } from '../config.js'
import { openDatabase } from '../db/client.js'
import { seedTopics } from '../db/repositories/topics.js'
import { SEED_TOPICS } from '../domain/seed-topics.js'
import { findEmbeddedServer } from '../embedded-server.js'
import { Matcher } from '../jobs/match-papers.js'
import { type CommandDeps, runCommand, toCommandSource } from '../jobs/run-command.js'
import { sendMail } from '../jobs/send-mail.js'
import { createLinks } from '../links.js'
import { createLogger } from '../logger.js'
import type { RenderedEmail } from '../mail/render.js'
import { createMailRenderer } from '../mail/render.js'
import { createMailer } from '../mail/transport.js'
import { redisHttpCache } from '../queue/http-cache.js'
import {
  type CommandJob,
  createQueues,
  DEFAULT_MAIL_RETRY,
  QUEUE,
  type Queues,
} from '../queue/queues.js'
import { createRedis, waitUntilReady } from '../queue/redis.js'
import { outboxDirOf } from '../runtime.js'
import { resolveAppSecret } from '../secrets.js'
import type { IngestReport, IngestSource } from '../usecases/ingest.js'
import { startWorker } from '../workers/start-worker.js'

export type IngestOutcome = IngestReport & { matchJobId: string | undefined }
type Progress = (message: string) => void

export interface JobSummary {
  readonly results: Record<string, number>
  readonly failed: readonly string[]
}

/**
 * Where a CLI command does its work: against the database itself, or, while `paperboy serve`
 * holds the embedded database, inside that server (through a job), since no second process
 * may open it.
 */
export interface CliContext {
  readonly mode: 'direct' | 'via-server'
  ingest(
    source: IngestSource,
    options: { deliver: boolean },
    progress: Progress,
  ): Promise<IngestOutcome>
  runDigests(options: { now: boolean; email?: string | undefined }): Promise<string[]>
  preview(email: string): Promise<RenderedEmail & { total: number }>
  /** Returns when these jobs have finished, processing them here if no worker is running. */
  waitFor(
    queue: 'match' | 'mail',
    jobIds: readonly string[],
    progress: Progress,
  ): Promise<JobSummary>
  close(): Promise<void>
}

export async function openCliContext(config: Config): Promise<CliContext> {
  const producer = createRedis(config.redisUrl, 'producer')
  const closers: (() => Promise<unknown>)[] = [() => producer.quit()]
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {})
  }
  try {
    await waitUntilReady(producer, config.redisUrl)
    const queues = createQueues(producer, config.queuePrefix, DEFAULT_MAIL_RETRY, () => {})
    closers.push(() => queues.close())
    // QueueEvents blocks on a duplicate of the connection it is given; it closes the duplicate,
    // the original is ours to close.
    const connections: Redis[] = []
    const connection = () => {
      const redis = createRedis(config.redisUrl, 'worker')
      connections.push(redis)
      return redis
    }
    closers.push(async () => {
      for (const redis of connections) redis.disconnect()
    })
    const events = new Map<string, QueueEvents>()
    for (const name of [QUEUE.match, QUEUE.mail, QUEUE.commands]) {
      const listener = new QueueEvents(name, {
        connection: connection(),
        prefix: config.queuePrefix,
      })
      closers.push(() => listener.close())
      events.set(name, listener)
    }
    // Closing QueueEvents while it is still connecting leaves its socket open.
    await Promise.all([...events.values()].map((e) => e.waitUntilReady()))
    const eventsOf = (name: string) => events.get(name) as QueueEvents

    const server = config.databaseUrl ? undefined : findEmbeddedServer(config.dataDir)
    if (server) {
      const delegate = async <T>(job: CommandJob, progress?: Progress): Promise<T> => {
        progress?.(
          `the server (pid ${server.pid}) holds the embedded database; handing the work to it`,
        )
        const added = await queues.commands.add(job.command, job)
        return (await added.waitUntilFinished(eventsOf(QUEUE.commands))) as T
      }
      return {
        mode: 'via-server',
        ingest: (source, options, progress) =>
          delegate(
            { command: 'ingest', source: toCommandSource(source), deliver: options.deliver },
            progress,
          ),
        runDigests: (options) =>
          delegate({ command: 'digest-run', now: options.now, email: options.email }),
        preview: (email) => delegate({ command: 'preview', email }),
        waitFor: (queue, ids, progress) =>
          waitForJobs(queues, queue, eventsOf(queue), ids, undefined, progress),
        close,
      }
    }

    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
    })
    closers.push(() => database.close())
    await database.migrate()
    await seedTopics(database.db, SEED_TOPICS)
    const now = () => new Date()
    const links = createLinks(
      config.publicUrl,
      resolveAppSecret(config.appSecret, config.dataDir),
      now,
    )
    const renderer = createMailRenderer({})
    const deps: CommandDeps = {
      ingest: {
        db: database.db,
        httpCache: redisHttpCache(producer, config.queuePrefix),
        enqueueMatch: async (paperIds) =>
          (await queues.match.add('match', { paperIds: [...paperIds] })).id,
        now,
      },
      digests: { db: database.db, queues, now },
      preview: { db: database.db, renderer, links, now },
    }
    const logger = createLogger('silent')
    // Built only if this process has to do the work itself (no server running).
    const localProcessors = {
      match: (): Processor => {
        const matcher = new Matcher(database.db, logger, now)
        return (job: Job) => matcher.process(job.data)
      },
      mail: (): Processor => {
        const mailer = createMailer({
          smtpUrl: config.smtpUrl,
          outboxDir: outboxDirOf(config),
          dkim: config.dkim,
        })
        closers.push(async () => mailer.close())
        const digestDeps = {
          db: database.db,
          mailer,
          renderer,
          links,
          mailFrom: config.mailFrom,
          logger,
          now,
        }
        return (job: Job) => sendMail(job.data, digestDeps)
      },
    }
    return {
      mode: 'direct',
      ingest: (source, options, progress) =>
        runCommand(
          { command: 'ingest', source: toCommandSource(source), deliver: options.deliver },
          {
            ...deps,
            ingest: { ...deps.ingest, onProgress: progress },
          },
        ) as Promise<IngestOutcome>,
      runDigests: (options) =>
        runCommand({ command: 'digest-run', ...options }, deps) as Promise<string[]>,
      preview: (email) =>
        runCommand({ command: 'preview', email }, deps) as Promise<
          RenderedEmail & { total: number }
        >,
      waitFor: (queue, ids, progress) =>
        waitForJobs(
          queues,
          queue,
          eventsOf(queue),
          ids,
          { make: localProcessors[queue], connection },
          progress,
        ),
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

async function waitForJobs(
  queues: Queues,
  name: 'match' | 'mail',
  events: QueueEvents,
  ids: readonly string[],
  local: { make: () => Processor; connection: () => Redis } | undefined,
  progress: Progress,
): Promise<JobSummary> {
  const queue = queues[name]
  let worker: Worker | undefined
  if (ids.length > 0 && (await queue.getWorkersCount()) === 0) {
    if (!local)
      throw new Error(`no worker is processing the ${name} queue; is \`paperboy serve\` running?`)
    progress(`no worker is running; processing the ${name} jobs in this process`)
    worker = startWorker(name, local.make(), {
      connection: local.connection(),
      prefix: queue.opts.prefix ?? 'paperboy',
      logger: createLogger('silent'),
    })
  } else if (ids.length > 0) {
    progress(`waiting for ${ids.length} ${name} job(s)`)
  }
  const results: Record<string, number> = {}
  const failed: string[] = []
  try {
    for (const id of ids) {
      const job = await queue.getJob(id)
      if (!job) continue
      try {
        const result = String(await job.waitUntilFinished(events))
        results[result] = (results[result] ?? 0) + 1
      } catch (error) {
        failed.push(`${id}: ${(error as Error).message}`)
      }
    }
  } finally {
    await worker?.close()
  }
  return { results, failed }
}

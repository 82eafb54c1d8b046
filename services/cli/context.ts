import { QueueEvents, type Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { Config } from '../config.js'
import { type DatabaseHandle, openDatabase } from '../db/client.js'
import { seedTopics } from '../db/repositories/topics.js'
import { SEED_TOPICS } from '../domain/seed-topics.js'
import { findEmbeddedServer } from '../embedded-server.js'
import { matchPapers } from '../jobs/match-papers.js'
import { toCommandSource } from '../jobs/run-command.js'
import { createLogger } from '../logger.js'
import { redisHttpCache } from '../queue/http-cache.js'
import {
  createQueues,
  DEFAULT_MAIL_RETRY,
  type MatchJob,
  QUEUE,
  type Queues,
} from '../queue/queues.js'
import { createRedis, waitUntilReady } from '../queue/redis.js'
import { type IngestReport, type IngestSource, ingest } from '../usecases/ingest.js'
import { startWorker } from '../workers/start-worker.js'

export type IngestOutcome = IngestReport & { matchJobId: string | undefined }

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
    progress: (message: string) => void,
  ): Promise<IngestOutcome>
  /** Returns when the matcher has finished with these papers. */
  waitForMatching(jobId: string, progress: (message: string) => void): Promise<void>
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
    const listen = (queue: string) => {
      const connection = createRedis(config.redisUrl, 'worker')
      const events = new QueueEvents(queue, { connection, prefix: config.queuePrefix })
      closers.push(
        async () => connection.disconnect(),
        () => events.close(),
      )
      return events
    }
    const events = listen(QUEUE.match)
    const commandEvents = listen(QUEUE.commands)
    // Closing QueueEvents while it is still connecting leaves its socket open.
    await Promise.all([events.waitUntilReady(), commandEvents.waitUntilReady()])

    const server = config.databaseUrl ? undefined : findEmbeddedServer(config.dataDir)
    if (server) {
      return {
        mode: 'via-server',
        async ingest(source, options, progress) {
          progress(
            `the server (pid ${server.pid}) holds the embedded database; handing the work to it`,
          )
          const job = await queues.commands.add('ingest', {
            command: 'ingest',
            source: toCommandSource(source),
            deliver: options.deliver,
          })
          return (await job.waitUntilFinished(commandEvents)) as IngestOutcome
        },
        waitForMatching: (jobId, progress) =>
          waitForJob(queues, events, jobId, undefined, progress),
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
    return {
      mode: 'direct',
      ingest(source, options, progress) {
        return ingest(source, options, {
          db: database.db,
          httpCache: redisHttpCache(producer, config.queuePrefix),
          enqueueMatch: async (paperIds) =>
            (await queues.match.add('match', { paperIds: [...paperIds] })).id,
          now: () => new Date(),
          onProgress: progress,
        })
      },
      waitForMatching: (jobId, progress) =>
        waitForJob(queues, events, jobId, { config, database }, progress),
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Waits for a match job. When no worker is listening (no server running), this process
 * does the matching itself rather than wait forever.
 */
async function waitForJob(
  queues: Queues,
  events: QueueEvents,
  jobId: string,
  local: { config: Config; database: DatabaseHandle } | undefined,
  progress: (message: string) => void,
): Promise<void> {
  const job = await queues.match.getJob(jobId)
  if (!job) return
  let worker: Worker<MatchJob, unknown> | undefined
  let connection: Redis | undefined
  if ((await queues.match.getWorkersCount()) === 0) {
    if (!local)
      throw new Error('no worker is processing the match queue; is `paperboy serve` running?')
    progress('no worker is running; matching in this process')
    connection = createRedis(local.config.redisUrl, 'worker')
    worker = startWorker<MatchJob, unknown>(QUEUE.match, (j) => matchPapers(j.data), {
      connection,
      prefix: local.config.queuePrefix,
      logger: createLogger('silent'),
    })
  } else {
    progress('waiting for the matcher')
  }
  try {
    await job.waitUntilFinished(events)
  } finally {
    await worker?.close()
    connection?.disconnect()
  }
}

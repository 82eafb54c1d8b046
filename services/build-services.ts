import { join, resolve } from 'node:path'
import type { Redis } from 'ioredis'
import { useArxivHolidays } from './announcement-calendar.js'
import type { Config } from './config.js'
import { type DatabaseHandle, openDatabase } from './db/client.js'
import { createDigestFinisher } from './db/repositories/digest-delivery.js'
import { seedTopics } from './db/repositories/topics.js'
import { SEED_TOPICS } from './domain/seed-topics.js'
import { ensureLocalRedis } from './embedded-redis.js'
import type { MailJobDeps } from './jobs/process-mail-job.js'
import type { CommandDeps } from './jobs/run-command.js'
import { createLinks, type Links } from './links.js'
import { createLogger, type Logger } from './logger.js'
import { createMailRenderer, type MailRenderer } from './mail/mail-renderer.js'
import { createMailer, type Mailer } from './mail/transport.js'
import { registerSendingGauges } from './metrics/sending-gauges.js'
import { createMetrics, type Metrics, timedMailer } from './metrics.js'
import { createQueues, DEFAULT_MAIL_RETRY, type Queues, type RetryPolicy } from './queue/queues.js'
import { createRedis, waitUntilReady } from './queue/redis.js'
import { redisSentCounter, type SentCounter } from './queue/sent-counter.js'
import { announceTopicChange, listenForTopicChanges } from './queue/topic-changes.js'
import type { Role } from './roles.js'
import { resolveAppSecret } from './secrets.js'
import { redisHttpCache } from './sources/http-cache-store.js'
import type { IngestDeps } from './usecases/ingest.js'
import type { TopicAdminDeps } from './usecases/manage-topics.js'
import { Matcher } from './usecases/matcher.js'
import { PreviewWindows } from './usecases/preview-window.js'
import type { FeedbackDeps } from './usecases/record-feedback.js'
import { cachedTopicNames, type TopicNames } from './usecases/topic-names.js'

export interface ServicesOptions {
  /** What this process is (`paperboy serve`), named to any other that finds DATA_DIR held. */
  readonly holder: string
  readonly logger?: Logger
  readonly now?: () => Date
  /** A `paperboy serve` process keeps metrics, labelled with its role; the CLI keeps none. */
  readonly role?: Role
  /** PostgreSQL connections (the pool's size); node-postgres' default of 10 when unset. */
  readonly poolSize?: number
  readonly mailRetry?: RetryPolicy
  /** Start a private redis-server under DATA_DIR when none answers (the all-in-one quick start). */
  readonly startRedisIfMissing?: boolean
  /** Wraps the mailer, for fault-injection tests (a crash right after SMTP accepted a message). */
  readonly decorateMailer?: (mailer: Mailer) => Mailer
}

/**
 * Every adapter and cache a Paperboy process uses, each made the first time it is asked for
 * and closed by close(), in the reverse order of making: a process asks only for what its
 * role needs, and a CLI command that hands its work to the server never opens the database.
 */
export interface Services {
  readonly config: Config
  readonly logger: Logger
  readonly now: () => Date
  /** The key for signed links; a refused one stops start-up before anything is opened. */
  secret(): string
  /** The database, not migrated (see prepareDatabase). */
  database(): Promise<DatabaseHandle>
  /** The database with every migration applied and the shipped topics added. */
  prepareDatabase(): Promise<DatabaseHandle>
  /** The fail-fast Redis connection (queues, rate limits), once it answers. */
  redis(): Promise<Redis>
  /** A new connection that waits for Redis forever, for a blocking client (worker, events). */
  blockingConnection(): Redis
  queues(): Promise<Queues>
  /** Undefined for the CLI, which exposes none. */
  metrics(): Promise<Metrics | undefined>
  links(): Links
  /** Kept current in a serving process by the topic-change announcements of every process. */
  topicNames(): Promise<TopicNames>
  /** What adding, editing and retiring topics needs (the admin API, `paperboy topics`). */
  topicAdmin(): Promise<TopicAdminDeps>
  mailRenderer(): MailRenderer
  mailer(): Promise<Mailer>
  /** What every email job needs, digests included. */
  mailDeps(): Promise<MailJobDeps>
  /** Digests sent per day, for the complaint rate. */
  sentCounter(): Promise<SentCounter>
  /** What recording bounces and complaints needs. */
  feedbackDeps(): Promise<FeedbackDeps>
  ingestDeps(): Promise<IngestDeps>
  /** Recent papers analysed for `/api/preview`, built on the first preview; what this process stores reaches it at once. */
  previewWindows(): Promise<PreviewWindows>
  /** The CLI commands' work, in this process. */
  commandDeps(): Promise<CommandDeps>
  /** One per process: its index is built once and kept current between batches. */
  matcher(): Promise<Matcher>
  /** Runs `closer` at close(), before whatever was made earlier is closed. */
  onClose(closer: () => Promise<unknown>): void
  close(): Promise<void>
}

/** Files the embedded defaults keep under DATA_DIR. */
export const outboxDirOf = (config: Config) => join(resolve(config.dataDir), 'outbox')

/** The one composition root: every process and CLI command takes what it needs from here. */
export function buildServices(config: Config, options: ServicesOptions): Services {
  const logger = options.logger ?? createLogger(config.logLevel)
  useArxivHolidays(config.arxivHolidays)
  const now = options.now ?? (() => new Date())
  const closers: (() => Promise<unknown>)[] = []
  const onClose = (closer: () => Promise<unknown>) => {
    closers.push(closer)
  }
  /** A value made once, on first use, however many ask for it meanwhile. */
  const once = <T>(make: () => T): (() => T) => {
    let made: { value: T } | undefined
    return () => {
      made ??= { value: make() }
      return made.value
    }
  }

  const secret = once(() => resolveAppSecret(config.appSecret, config.dataDir))
  const database = once(async () => {
    const handle = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      holder: options.holder,
      ...(options.poolSize ? { poolSize: options.poolSize } : {}),
    })
    onClose(() => handle.close())
    return handle
  })
  const prepareDatabase = once(async () => {
    const handle = await database()
    await handle.migrate()
    await seedTopics(handle.db, SEED_TOPICS)
    return handle
  })
  const redis = once(async () => {
    if (options.startRedisIfMissing) {
      const stopRedis = await ensureLocalRedis(config.redisUrl, config.dataDir)
      if (stopRedis) {
        logger.info(
          { dataDir: config.dataDir },
          'no Redis answered; started a private redis-server',
        )
        onClose(stopRedis)
      }
    }
    const producer = createRedis(config.redisUrl, 'producer')
    onClose(() => producer.quit())
    await waitUntilReady(producer, config.redisUrl)
    return producer
  })
  const blockingConnection = () => {
    const connection = createRedis(config.redisUrl, 'worker')
    // One that never connected has nothing to say goodbye to; QUIT would wait for it.
    onClose(async () =>
      connection.status === 'ready' ? connection.quit() : connection.disconnect(),
    )
    return connection
  }
  const queues = once(async () => {
    const made = createQueues(
      await redis(),
      config.queuePrefix,
      options.mailRetry ?? DEFAULT_MAIL_RETRY,
      (error) => logger.error({ err: error }, 'queue error'),
    )
    onClose(() => made.close())
    return made
  })
  const { role } = options
  const metrics = once(async () => {
    if (role === undefined) return undefined
    const { db } = await database()
    const made = createMetrics(await queues(), role, db)
    registerSendingGauges(made.registry, async () => db)
    return made
  })
  const links = once(() => createLinks(config.publicUrl, secret(), now))
  const topicNames = once(async () => {
    const cache = cachedTopicNames((await database()).db)
    // A serving process lives long enough for a change made elsewhere to matter; the CLI does not.
    if (role !== undefined) {
      await listenForTopicChanges(blockingConnection(), config.queuePrefix, (slug) => {
        cache.invalidate()
        logger.debug({ slug }, 'topic changed; cached topic names dropped')
      })
    }
    return cache.names
  })
  const topicAdmin = once(async (): Promise<TopicAdminDeps> => {
    const { db } = await database()
    const producer = await redis()
    return {
      db,
      now,
      announce: async (slug) => {
        // The change is saved whatever happens here; other processes then see it within a minute.
        await announceTopicChange(producer, config.queuePrefix, slug).catch((error: unknown) =>
          logger.warn({ err: error, slug }, 'could not announce a topic change'),
        )
      },
    }
  })
  const mailRenderer = once(() => createMailRenderer({ thumbnails: config.digestThumbnails }))
  const mailer = once(async () => {
    const base = createMailer({
      smtpUrl: config.smtpUrl,
      outboxDir: outboxDirOf(config),
      dkim: config.dkim,
    })
    const measured = await metrics()
    const timed = measured ? timedMailer(base, measured) : base
    const made = options.decorateMailer ? options.decorateMailer(timed) : timed
    onClose(async () => made.close())
    return made
  })
  const sentCounter = once(async () => redisSentCounter(await redis(), config.queuePrefix))
  const feedbackDeps = once(async (): Promise<FeedbackDeps> => {
    const measured = await metrics()
    return {
      db: (await database()).db,
      logger,
      now,
      policy: config.complaints,
      sentCounter: await sentCounter(),
      onRecorded: (event) =>
        measured?.mailFeedback.inc({ provider: event.provider, type: event.kind }),
    }
  })
  const mailDeps = once(async (): Promise<MailJobDeps> => {
    const { db } = await database()
    return {
      sentCounter: await sentCounter(),
      db,
      mailer: await mailer(),
      renderer: mailRenderer(),
      links: links(),
      mailFrom: config.mailFrom,
      logger,
      now,
      topicNames: await topicNames(),
      finishDigest: createDigestFinisher(db),
    }
  })
  const previewWindows = once(
    async () =>
      new PreviewWindows((await database()).db, now, {
        onError: (error) => logger.warn({ err: error }, 'preview window refresh failed'),
      }),
  )
  const ingestDeps = once(async (): Promise<IngestDeps> => {
    const measured = await metrics()
    const windows = await previewWindows()
    const { match } = await queues()
    return {
      db: (await database()).db,
      httpCache: redisHttpCache(await redis(), config.queuePrefix),
      enqueueMatch: async (paperIds) => (await match.add('match', { paperIds: [...paperIds] })).id,
      now,
      onReport: (report) => {
        measured?.papersIngested.inc({ kind: 'new' }, report.new)
        measured?.papersIngested.inc({ kind: 'updated' }, report.updated)
        measured?.papersIngested.inc({ kind: 'unchanged' }, report.unchanged)
        measured?.papersIngested.inc({ kind: 'rejected' }, report.rejected.length)
        if (report.new > 0 || report.updated > 0) windows.invalidate()
      },
    }
  })
  const commandDeps = once(async (): Promise<CommandDeps> => {
    const { db } = await database()
    return {
      ingest: await ingestDeps(),
      digests: { db, queues: await queues(), now },
      feedback: await feedbackDeps(),
      sending: { db, queues: await queues(), logger, now },
      preview: {
        db,
        renderer: mailRenderer(),
        links: links(),
        now,
        topicNames: await topicNames(),
      },
      topics: await topicAdmin(),
    }
  })
  const matcher = once(async () => new Matcher((await database()).db, logger, now))

  return {
    config,
    logger,
    now,
    secret,
    database,
    prepareDatabase,
    redis,
    blockingConnection,
    queues,
    metrics,
    links,
    topicNames,
    topicAdmin,
    mailRenderer,
    mailer,
    mailDeps,
    sentCounter,
    feedbackDeps,
    ingestDeps,
    previewWindows,
    commandDeps,
    matcher,
    onClose,
    async close() {
      for (const closer of closers.reverse()) {
        await closer().catch((error: unknown) =>
          logger.warn({ err: error }, 'error while shutting down'),
        )
      }
      closers.length = 0
    },
  }
}

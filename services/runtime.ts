import { join, resolve } from 'node:path'
import type { Worker } from 'bullmq'
import type { FastifyInstance } from 'fastify'
import { type Config, ConfigError } from './config.js'
import { type DatabaseHandle, openDatabase } from './db/client.js'
import { seedTopics } from './db/repositories/topics.js'
import { SEED_TOPICS } from './domain/seed-topics.js'
import { buildApp } from './http/app.js'
import { createPageRenderer } from './http/pages/render.js'
import { createLinks } from './links.js'
import { createLogger, type Logger } from './logger.js'
import { createMailRenderer } from './mail/render.js'
import { createMailer, type Mailer } from './mail/transport.js'
import { createQueues, DEFAULT_MAIL_RETRY, type Queues, type RetryPolicy } from './queue/queues.js'
import { createRedis, waitUntilReady } from './queue/redis.js'
import { resolveAppSecret } from './secrets.js'
import { startMailWorker } from './workers/mail-worker.js'

export type Role = 'all' | 'api' | 'worker' | 'scheduler'
export const ROLES: readonly Role[] = ['all', 'api', 'worker', 'scheduler']

export interface RuntimeOptions {
  readonly config: Config
  readonly role: Role
  readonly logger?: Logger
  readonly now?: () => Date
  readonly mailRetry?: RetryPolicy
  /** Listen on config.port; tests that use inject() skip it. */
  readonly listen?: boolean
}

/** A running Paperboy process: whichever parts its role asked for, and one way to stop them all. */
export interface Runtime {
  readonly config: Config
  readonly logger: Logger
  readonly database: DatabaseHandle
  readonly queues: Queues
  readonly app: FastifyInstance | undefined
  readonly mailer: Mailer | undefined
  /** The address actually listened on (useful with PORT=0). */
  readonly address: string | undefined
  close(): Promise<void>
}

/** Files the embedded defaults keep under DATA_DIR. */
export const outboxDirOf = (config: Config) => join(resolve(config.dataDir), 'outbox')

/**
 * The one composition root: every process, whatever its role, is wired here from the same
 * adapter factories. Shutdown runs in reverse: stop taking requests, let in-flight jobs
 * finish, then close the pools.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, role } = options
  const logger = options.logger ?? createLogger(config.logLevel)
  const now = options.now ?? (() => new Date())
  if (role !== 'all' && !config.databaseUrl) {
    throw new ConfigError(
      `DATABASE_URL: required for --role ${role}; the embedded database can only serve a single all-in-one process`,
    )
  }
  const runsApi = role === 'all' || role === 'api'
  const runsWorker = role === 'all' || role === 'worker'

  const closers: (() => Promise<unknown>)[] = []
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch((error: unknown) =>
        logger.warn({ err: error }, 'error while shutting down'),
      )
    }
    closers.length = 0
  }

  try {
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
    })
    closers.push(() => database.close())
    if (role === 'all') {
      await database.migrate()
      await seedTopics(database.db, SEED_TOPICS)
    }
    const secret = resolveAppSecret(config.appSecret, config.dataDir)
    const links = createLinks(config.publicUrl, secret, now)
    const producer = createRedis(config.redisUrl, 'producer')
    closers.push(() => producer.quit())
    await waitUntilReady(producer, config.redisUrl)
    const queues = createQueues(
      producer,
      config.queuePrefix,
      options.mailRetry ?? DEFAULT_MAIL_RETRY,
    )
    closers.push(() => queues.close())
    const outboxDir = config.smtpUrl ? undefined : outboxDirOf(config)

    let mailer: Mailer | undefined
    if (runsWorker) {
      mailer = createMailer({
        smtpUrl: config.smtpUrl,
        outboxDir: outboxDirOf(config),
        dkim: config.dkim,
      })
      const activeMailer = mailer
      closers.push(async () => activeMailer.close())
      const workerConnection = createRedis(config.redisUrl, 'worker')
      closers.push(() => workerConnection.quit())
      const worker: Worker = startMailWorker(
        {
          db: database.db,
          mailer,
          renderer: createMailRenderer({}),
          links,
          mailFrom: config.mailFrom,
          logger,
          now,
        },
        {
          connection: workerConnection,
          prefix: config.queuePrefix,
          ratePerSecond: config.mailRatePerSecond,
        },
      )
      closers.push(() => worker.close())
    }

    let app: FastifyInstance | undefined
    let address: string | undefined
    if (runsApi) {
      const pages = createPageRenderer({})
      app = await buildApp(
        { config, database, redis: producer, queues, pages, links, secret, now, outboxDir },
        logger,
      )
      const activeApp = app
      closers.push(() => activeApp.close())
      if (options.listen !== false) {
        address = await app.listen({ port: config.port, host: config.host })
      } else {
        await app.ready()
      }
    }
    return { config, logger, database, queues, app, mailer, address, close }
  } catch (error) {
    await close()
    throw error
  }
}

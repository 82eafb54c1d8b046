import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { type Config, ConfigError } from './config.js'
import { type DatabaseHandle, openDatabase } from './db/client.js'
import { seedTopics } from './db/repositories/topics.js'
import { SEED_TOPICS } from './domain/seed-topics.js'
import { ensureLocalRedis } from './embedded-redis.js'
import { announceEmbeddedServer } from './embedded-server.js'
import { buildApp } from './http/app.js'
import { startMetricsServer } from './http/metrics-server.js'
import { createPageRenderer } from './http/pages/render.js'
import { createLinks } from './links.js'
import { createLogger, type Logger } from './logger.js'
import { createMailRenderer } from './mail/render.js'
import { createMailer, type Mailer } from './mail/transport.js'
import { createMetrics, type Metrics, timedMailer } from './metrics.js'
import { createQueues, DEFAULT_MAIL_RETRY, type Queues, type RetryPolicy } from './queue/queues.js'
import { createRedis, waitUntilReady } from './queue/redis.js'
import { registerSchedules } from './scheduler.js'
import { resolveAppSecret } from './secrets.js'
import { redisHttpCache } from './sources/http-cache-store.js'
import type { IngestDeps } from './usecases/ingest.js'
import { cachedTopicNames } from './usecases/topic-names.js'
import { MAIL_CONCURRENCY, startWorkers } from './workers/start-workers.js'

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
  /** Job lock lifetime (BullMQ default 30 s); shorter in tests that kill a worker on purpose. */
  readonly lockDurationMs?: number
  /** Start a private redis-server under DATA_DIR when none answers (the all-in-one quick start). */
  readonly startRedisIfMissing?: boolean
  /** Wraps the mailer, for fault-injection tests (a crash right after SMTP accepted a message). */
  readonly decorateMailer?: (mailer: Mailer) => Mailer
}

/** A running Paperboy process: whichever parts its role asked for, and one way to stop them all. */
export interface Runtime {
  readonly config: Config
  readonly logger: Logger
  readonly database: DatabaseHandle
  readonly queues: Queues
  readonly app: FastifyInstance | undefined
  readonly mailer: Mailer | undefined
  readonly metrics: Metrics
  /** The address actually listened on (useful with PORT=0). */
  readonly address: string | undefined
  /** Where GET /metrics and GET /healthz are served when METRICS_PORT is set (useful with 0). */
  readonly metricsAddress: string | undefined
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
  const runsScheduler = role === 'all' || role === 'scheduler'

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
    // First: a refused secret should stop start-up before anything is opened.
    const secret = resolveAppSecret(config.appSecret, config.dataDir)
    const database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      // Room for every mail job in flight plus the matcher, the tick and HTTP requests.
      poolSize: MAIL_CONCURRENCY + 10,
      holder: 'paperboy serve',
    })
    closers.push(() => database.close())
    if (role === 'all') {
      await database.migrate()
      await seedTopics(database.db, SEED_TOPICS)
    }
    const links = createLinks(config.publicUrl, secret, now)
    const topicNames = cachedTopicNames(database.db)
    if (options.startRedisIfMissing) {
      const stopRedis = await ensureLocalRedis(config.redisUrl, config.dataDir)
      if (stopRedis) {
        logger.info(
          { dataDir: config.dataDir },
          'no Redis answered; started a private redis-server',
        )
        closers.push(stopRedis)
      }
    }
    const producer = createRedis(config.redisUrl, 'producer')
    closers.push(() => producer.quit())
    await waitUntilReady(producer, config.redisUrl)
    const queues = createQueues(
      producer,
      config.queuePrefix,
      options.mailRetry ?? DEFAULT_MAIL_RETRY,
      (error) => logger.error({ err: error }, 'queue error'),
    )
    closers.push(() => queues.close())
    const metrics = createMetrics(queues, role)
    // Started whatever `listen` says: a worker's only way to be scraped and health-checked.
    let metricsAddress: string | undefined
    const { metricsPort } = config
    if (metricsPort !== undefined) {
      const server = await startMetricsServer({ ...config, metricsPort }, metrics, logger)
      closers.push(() => server.close())
      metricsAddress = server.address
      logger.info({ address: metricsAddress }, `metrics on ${metricsAddress}/metrics`)
    } else if (!runsApi) {
      logger.info(
        { role },
        `the ${role} role serves no HTTP, so its metrics are not exposed; set METRICS_PORT to serve /metrics and /healthz on a port of their own`,
      )
    } else if (config.production && !config.metricsToken && !config.adminToken) {
      logger.info(
        'GET /metrics answers 404 with NODE_ENV=production; set METRICS_TOKEN (or ADMIN_TOKEN) to serve it behind a token, or METRICS_PORT to serve it on a port of its own',
      )
    }
    const outboxDir = config.smtpUrl ? undefined : outboxDirOf(config)
    const ingestDeps: IngestDeps = {
      db: database.db,
      httpCache: redisHttpCache(producer, config.queuePrefix),
      enqueueMatch: async (paperIds) =>
        (await queues.match.add('match', { paperIds: [...paperIds] })).id,
      now,
      onReport: (report) => {
        metrics.papersIngested.inc({ kind: 'new' }, report.new)
        metrics.papersIngested.inc({ kind: 'updated' }, report.updated)
        metrics.papersIngested.inc({ kind: 'unchanged' }, report.unchanged)
        metrics.papersIngested.inc({ kind: 'rejected' }, report.rejected.length)
      },
    }

    let mailer: Mailer | undefined
    if (runsWorker) {
      const baseMailer = createMailer({
        smtpUrl: config.smtpUrl,
        outboxDir: outboxDirOf(config),
        dkim: config.dkim,
      })
      const timed = timedMailer(baseMailer, metrics)
      mailer = options.decorateMailer ? options.decorateMailer(timed) : timed
      const activeMailer = mailer
      closers.push(async () => activeMailer.close())
      const workerConnection = createRedis(config.redisUrl, 'worker')
      closers.push(() => workerConnection.quit())
      const settings = {
        connection: workerConnection,
        prefix: config.queuePrefix,
        logger,
        metrics,
        ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
      }
      const renderer = createMailRenderer({})
      await renderer.compileAll()
      const workers = startWorkers({
        config,
        database,
        queues,
        mailer,
        renderer,
        links,
        ingestDeps,
        metrics,
        logger,
        now,
        topicNames,
        settings,
      })
      // Closed before the connections they use (closers run in reverse order).
      closers.push(() => Promise.all(workers.map((worker) => worker.close())))
    }

    if (runsScheduler) {
      await registerSchedules(queues, config)
    }

    let app: FastifyInstance | undefined
    let address: string | undefined
    if (runsApi) {
      const pages = createPageRenderer({})
      app = await buildApp(
        {
          config,
          database,
          redis: producer,
          queues,
          pages,
          links,
          secret,
          now,
          topicNames,
          outboxDir,
          ingestDeps,
          metrics,
        },
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
    if (database.kind === 'pglite' && runsWorker) {
      const release = announceEmbeddedServer(config.dataDir, {
        pid: process.pid,
        queuePrefix: config.queuePrefix,
        redisUrl: config.redisUrl,
      })
      closers.push(async () => release())
    }
    return {
      config,
      logger,
      database,
      queues,
      app,
      mailer,
      metrics,
      address,
      metricsAddress,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

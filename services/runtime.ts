import type { FastifyInstance } from 'fastify'
import {
  buildServices,
  outboxDirOf,
  type Services,
  type ServicesOptions,
} from './build-services.js'
import { type Config, ConfigError } from './config.js'
import type { DatabaseHandle } from './db/client.js'
import { announceEmbeddedServer } from './embedded-server.js'
import { buildApp } from './http/app.js'
import { startMetricsServer } from './http/metrics-server.js'
import { createPageRenderer } from './http/pages/page-renderer.js'
import type { Logger } from './logger.js'
import type { Mailer } from './mail/transport.js'
import type { Metrics } from './metrics.js'
import type { Queues } from './queue/queues.js'
import type { Role } from './roles.js'
import { DIGEST_TICK_ID, registerSchedules, TICK_EVERY_MS } from './scheduler.js'
import { MAIL_CONCURRENCY, startWorkers } from './workers/start-workers.js'

export interface RuntimeOptions
  extends Pick<ServicesOptions, 'mailRetry' | 'startRedisIfMissing' | 'decorateMailer'> {
  readonly config: Config
  readonly role: Role
  readonly logger?: Logger
  readonly now?: () => Date
  /** Listen on config.port; tests that use inject() skip it. */
  readonly listen?: boolean
  /** Job lock lifetime (BullMQ default 30 s); shorter in tests that kill a worker on purpose. */
  readonly lockDurationMs?: number
  /** The digest tick's period (TICK_EVERY_MS); shorter in tests. */
  readonly tickEveryMs?: number
  /** How old unfinished work must be before the tick queues it again (RECOVER_AFTER_MS). */
  readonly recoverAfterMs?: number
}

/** A running Paperboy process: whichever parts its role asked for, and one way to stop them all. */
export interface Runtime {
  readonly config: Config
  readonly logger: Logger
  readonly services: Services
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

/**
 * A `paperboy serve` process: the parts its role runs, taken from buildServices. Shutdown runs
 * in reverse: stop taking requests, let in-flight jobs finish, then close the pools.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, role } = options
  if (role !== 'all' && !config.databaseUrl) {
    throw new ConfigError(
      `DATABASE_URL: required for --role ${role}; the embedded database can only serve a single all-in-one process`,
    )
  }
  const runsApi = role === 'all' || role === 'api'
  const runsWorker = role === 'all' || role === 'worker'
  const runsScheduler = role === 'all' || role === 'scheduler'
  const services = buildServices(config, {
    holder: 'paperboy serve',
    role,
    // Room for every mail job in flight plus the matcher, the tick and HTTP requests.
    poolSize: MAIL_CONCURRENCY + 10,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.mailRetry ? { mailRetry: options.mailRetry } : {}),
    ...(options.startRedisIfMissing ? { startRedisIfMissing: true } : {}),
    ...(options.decorateMailer ? { decorateMailer: options.decorateMailer } : {}),
  })
  const { logger } = services

  try {
    // First: a refused secret should stop start-up before anything is opened.
    services.secret()
    // Only the all-in-one process migrates; split roles expect `paperboy migrate` to have run.
    const database = role === 'all' ? await services.prepareDatabase() : await services.database()
    const queues = await services.queues()
    const metrics = await services.metrics()
    if (!metrics) throw new Error('a process with a role keeps metrics')
    // Started whatever `listen` says: a worker's only way to be scraped and health-checked.
    let metricsAddress: string | undefined
    const { metricsPort } = config
    if (metricsPort !== undefined) {
      const server = await startMetricsServer({ ...config, metricsPort }, metrics, logger)
      services.onClose(() => server.close())
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

    let mailer: Mailer | undefined
    if (runsWorker) {
      const mailDeps = await services.mailDeps()
      mailer = mailDeps.mailer
      // A template broken by an edit stops start-up, saying where.
      await mailDeps.renderer.compileAll()
      const workers = startWorkers({
        config,
        queues,
        mailDeps,
        commandDeps: await services.commandDeps(),
        ingestDeps: await services.ingestDeps(),
        matcher: await services.matcher(),
        metrics,
        ...(options.recoverAfterMs ? { recoverAfterMs: options.recoverAfterMs } : {}),
        settings: {
          connection: services.blockingConnection(),
          prefix: config.queuePrefix,
          logger,
          metrics,
          ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
        },
      })
      // Closed before the connections they use (closers run in reverse order).
      services.onClose(() => Promise.all(workers.map((worker) => worker.close())))
    }

    if (runsScheduler) {
      const tickEveryMs = options.tickEveryMs ?? TICK_EVERY_MS
      await registerSchedules(queues, config, tickEveryMs)
      // Looked for every tick and registered again when gone: a Redis that lost its data
      // (FLUSHALL, a restart without persistence) gets its schedules back within a tick
      // instead of at the next restart.
      const again = setInterval(() => {
        queues.tick
          .getJobScheduler(DIGEST_TICK_ID)
          .then((found) => (found ? undefined : registerSchedules(queues, config, tickEveryMs)))
          .catch((error: unknown) =>
            logger.warn({ err: error }, 'could not register the schedules; trying again next tick'),
          )
      }, tickEveryMs)
      services.onClose(async () => clearInterval(again))
    }

    let app: FastifyInstance | undefined
    let address: string | undefined
    if (runsApi) {
      app = await buildApp(
        {
          config,
          database,
          redis: await services.redis(),
          queues,
          pages: createPageRenderer({ thumbnails: config.digestThumbnails }),
          links: services.links(),
          secret: services.secret(),
          now: services.now,
          topicNames: await services.topicNames(),
          topicAdmin: await services.topicAdmin(),
          outboxDir: config.smtpUrl ? undefined : outboxDirOf(config),
          ingestDeps: await services.ingestDeps(),
          previewWindows: await services.previewWindows(),
          metrics,
          feedback: await services.feedbackDeps(),
        },
        logger,
      )
      const activeApp = app
      services.onClose(() => activeApp.close())
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
      services.onClose(async () => release())
    }
    return {
      config,
      logger,
      services,
      database,
      queues,
      app,
      mailer,
      metrics,
      address,
      metricsAddress,
      close: () => services.close(),
    }
  } catch (error) {
    await services.close()
    throw error
  }
}

import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { type Config, ConfigError } from '../config.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { metricsPortGuard, registerMetricsRoute } from './routes/metrics.js'

export interface MetricsServer {
  /** The address actually listened on, e.g. `http://127.0.0.1:9464` (useful with METRICS_PORT=0). */
  readonly address: string
  close(): Promise<void>
}

/**
 * The small listener on METRICS_PORT that any role can start: GET /metrics for Prometheus and
 * GET /healthz for a container health check, nothing else. It is how worker and scheduler
 * processes, which serve no HTTP otherwise, expose their own series.
 */
export async function startMetricsServer(
  config: Config & { readonly metricsPort: number },
  metrics: Metrics,
  logger: Logger,
): Promise<MetricsServer> {
  const app: FastifyInstance = Fastify({
    // pino's Logger carries more than FastifyBaseLogger declares; the widening is safe.
    loggerInstance: logger as FastifyBaseLogger,
    // A scrape every few seconds would drown the log.
    logController: new LogController({ disableRequestLogging: true }),
  })
  app.get('/healthz', async () => ({ status: 'ok' }))
  registerMetricsRoute(app, metrics, metricsPortGuard(config))
  try {
    const address = await app.listen({ port: config.metricsPort, host: config.metricsHost })
    return { address, close: () => app.close() }
  } catch (error) {
    await app.close()
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `METRICS_PORT: port ${config.metricsPort} on ${config.metricsHost} is already in use; choose another (0 takes any free port)`,
      )
    }
    throw error
  }
}

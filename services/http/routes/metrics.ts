import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'
import type { Metrics } from '../../metrics.js'
import { requireToken } from '../plugins/admin-auth.js'

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/**
 * Who may read /metrics on the main port: with METRICS_TOKEN or ADMIN_TOKEN set, whoever
 * presents one of them; with neither, everyone in development and no one in production (the
 * main port faces the public there; metrics then live on METRICS_PORT only).
 */
export function mainPortMetricsGuard(config: Config): Hook | undefined {
  const tokens = [config.metricsToken, config.adminToken].filter((t): t is string => !!t)
  if (tokens.length > 0) {
    return requireToken({
      tokens,
      realm: 'paperboy-metrics',
      hint: `missing or wrong token (Authorization: Bearer $${config.metricsToken ? 'METRICS_TOKEN' : 'ADMIN_TOKEN'})`,
    })
  }
  if (!config.production) return undefined
  return async (_request, reply) =>
    reply.code(404).send({
      error:
        'metrics are not served on this port with NODE_ENV=production unless METRICS_TOKEN or ADMIN_TOKEN is set; see METRICS_PORT',
    })
}

/** On the metrics port, which is meant for a scraper on a private network: METRICS_TOKEN when set. */
export function metricsPortGuard(config: Config): Hook | undefined {
  if (!config.metricsToken) return undefined
  return requireToken({
    tokens: [config.metricsToken],
    realm: 'paperboy-metrics',
    hint: 'missing or wrong metrics token (Authorization: Bearer $METRICS_TOKEN)',
  })
}

/** GET /metrics in Prometheus text format, behind `guard` when there is one. */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  guard: Hook | undefined,
): void {
  app.get(
    '/metrics',
    { schema: { hide: true }, ...(guard ? { onRequest: guard } : {}) },
    async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
}

/**
 * Request latency for every route (by its pattern, never the raw URL, which carries tokens),
 * and GET /metrics on the main port.
 */
const plugin: FastifyPluginAsync<{ metrics: Metrics; config: Config }> = async (
  app,
  { metrics, config },
) => {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    )
  })
  registerMetricsRoute(app, metrics, mainPortMetricsGuard(config))
}

// Not encapsulated: the latency hook must see every route, registered before or after it.
export const metricsPlugin = fp(plugin, { name: 'paperboy-metrics' })

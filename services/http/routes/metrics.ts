import type { FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import type { Metrics } from '../../metrics.js'

/**
 * Request latency for every route (by its pattern, never the raw URL, which carries tokens),
 * and GET /metrics in Prometheus text format.
 */
const plugin: FastifyPluginAsync<{ metrics: Metrics }> = async (app, { metrics }) => {
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
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  )
}

// Not encapsulated: the latency hook must see every route, registered before or after it.
export const metricsPlugin = fp(plugin, { name: 'paperboy-metrics' })

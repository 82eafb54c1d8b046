import type { FastifyPluginAsync } from 'fastify'
import type { HttpDeps } from '../deps.js'
import { apiSchemas } from '../schemas.js'

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ])

/** Liveness says the process answers; readiness says it can do its work (database and Redis). */
export const healthRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  app.get('/healthz', { schema: apiSchemas.healthz }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: apiSchemas.readyz }, async (_request, reply) => {
    const [database, redis] = await Promise.allSettled([
      withTimeout(deps.database.ping(), 2_000),
      withTimeout(deps.redis.ping(), 2_000),
    ])
    const checks = {
      database:
        database.status === 'fulfilled'
          ? 'ok'
          : `failing: ${String(database.reason?.message ?? database.reason)}`,
      redis:
        redis.status === 'fulfilled'
          ? 'ok'
          : `failing: ${String(redis.reason?.message ?? redis.reason)}`,
    }
    const ready = database.status === 'fulfilled' && redis.status === 'fulfilled'
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks })
  })
}

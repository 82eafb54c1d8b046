import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { previewInterest } from '../../usecases/preview-interest.js'
import type { HttpDeps } from '../deps.js'
import { OneInFlightPerClient } from '../plugins/one-in-flight.js'
import { apiSchemas } from '../schemas.js'

/** GET /api/preview: what an interest line would match; the preference page calls it as people type. */
export const interestPreviewRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (
  app,
  { deps },
) => {
  const oneAtATime = new OneInFlightPerClient()
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/preview',
      { config: { rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: apiSchemas.preview },
      async (request, reply) => {
        const { q, days } = request.query
        return oneAtATime.run(request, reply, async () => {
          const result = await previewInterest(deps.previewWindows, q, {
            days,
            now: deps.now(),
          })
          if (!result.ok) {
            return reply.code(400).send({
              error: result.error.message,
              details: {
                q: result.error.message,
                column: result.error.column,
                reason: result.error.reason,
              },
            })
          }
          return result.preview
        })
      },
    )
}

import type { FastifyPluginAsync } from 'fastify'
import { previewInterest } from '../../usecases/preview-interest.js'
import { PREVIEW_WINDOW } from '../../usecases/preview-window.js'
import type { HttpDeps } from '../deps.js'
import { OneInFlightPerClient } from '../plugins/one-in-flight.js'
import { apiSchemas } from '../schemas.js'

type PreviewQuery = { Querystring: { q?: string; days?: string } }

/** GET /api/preview: what an interest line would match; the preference page calls it as people type. */
export const interestPreviewRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (
  app,
  { deps },
) => {
  const oneAtATime = new OneInFlightPerClient()
  app.get<PreviewQuery>(
    '/api/preview',
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } }, schema: apiSchemas.preview },
    async (request, reply) => {
      const { q, days } = request.query
      if (typeof q !== 'string' || q.trim() === '') {
        return reply
          .code(400)
          .send({ error: 'invalid request', details: { q: 'is required: one interest line' } })
      }
      const dayCount = days === undefined ? 7 : Number(days)
      if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > PREVIEW_WINDOW.days) {
        return reply.code(400).send({
          error: 'invalid request',
          details: { days: `must be a whole number from 1 to ${PREVIEW_WINDOW.days}` },
        })
      }
      return oneAtATime.run(request, reply, async () => {
        const result = await previewInterest(deps.previewWindows, q, {
          days: dayCount,
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

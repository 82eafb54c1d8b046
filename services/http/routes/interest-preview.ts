import type { FastifyPluginAsync } from 'fastify'
import { previewInterest } from '../../usecases/preview-interest.js'
import type { HttpDeps } from '../deps.js'
import { apiSchemas } from '../schemas.js'

type PreviewQuery = { Querystring: { q?: string; days?: string } }

/** GET /api/preview: what an interest line would match; the preference page calls it as people type. */
export const interestPreviewRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (
  app,
  { deps },
) => {
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
      if (!Number.isInteger(dayCount) || dayCount < 1 || dayCount > 90) {
        return reply.code(400).send({
          error: 'invalid request',
          details: { days: 'must be a whole number from 1 to 90' },
        })
      }
      const result = await previewInterest(deps.database.db, q, { days: dayCount, now: deps.now() })
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
    },
  )
}

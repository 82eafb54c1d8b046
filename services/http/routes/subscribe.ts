import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { listTopics } from '../../db/repositories/topics.js'
import { DEFAULT_PREFERENCES } from '../../domain/preferences.js'
import { requestSubscription } from '../../usecases/request-subscription.js'
import { redisAddressLimiter } from '../address-limit.js'
import type { HttpDeps } from '../deps.js'
import { formToRequest, formValues, preferencesToValues } from '../form.js'
import { HttpError } from '../http-error.js'
import { apiSchemas } from '../schemas.js'

/** Per address, on top of the per-IP limit: stops one mailbox being targeted from many IPs. */
const ADDRESS_LIMIT = { max: 5, windowMs: 10 * 60 * 1000 } as const

export const subscribeRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  // One budget per client IP for the form and the JSON API together: a limit set in each
  // route's config would be counted per route, doubling what one client may send.
  const perIp = app.rateLimit({
    max: deps.config.subscribeRateLimit,
    timeWindow: '1 minute',
    keyGenerator: (request) => `subscribe:${normalizeIP(request.ip)}`,
  })
  const mailQueue = deps.queues.mail
  const useCaseDeps = {
    db: deps.database.db,
    mailQueue,
    limitAddress: redisAddressLimiter(
      deps.redis,
      `${deps.config.queuePrefix}-address-limit-`,
      ADDRESS_LIMIT,
    ),
  }

  app.get('/', async (_request, reply) => {
    const topics = await listTopics(deps.database.db)
    return reply.type('text/html; charset=utf-8').send(
      deps.pages.subscribe({
        topics,
        values: preferencesToValues('', DEFAULT_PREFERENCES),
        errors: {},
      }),
    )
  })

  app.post('/subscribe', { onRequest: perIp }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = formValues(body)
    // Bots fill every field; people never see this one. They get the usual answer and nothing happens.
    if (typeof body.website === 'string' && body.website !== '') {
      request.log.info('honeypot field filled; request ignored')
      return reply
        .type('text/html; charset=utf-8')
        .send(deps.pages.checkInbox({ email: values.email }))
    }
    const result = await requestSubscription(formToRequest(body, true), useCaseDeps)
    if (!result.ok && 'retryAfterSeconds' in result)
      return tooManyForAddress(reply, result.retryAfterSeconds)
    if (!result.ok) {
      const topics = await listTopics(deps.database.db)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(deps.pages.subscribe({ topics, values, errors: result.errors }))
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(deps.pages.checkInbox({ email: result.email }))
  })

  app.post(
    '/api/subscriptions',
    {
      onRequest: perIp,
      schema: apiSchemas.subscribe,
      // The body's schema is checked by requestSubscription, together with what needs the
      // database (known topics) and the address itself, so every bad field is named at once.
      validatorCompiler: () => (body) => ({ value: body }),
    },
    async (request, reply) => {
      if (!request.body || typeof request.body !== 'object' || Array.isArray(request.body)) {
        return reply
          .code(400)
          .send({ error: 'invalid request', details: { body: 'must be a JSON object' } })
      }
      const result = await requestSubscription(request.body, useCaseDeps)
      if (!result.ok && 'retryAfterSeconds' in result)
        return tooManyForAddress(reply, result.retryAfterSeconds)
      if (!result.ok) {
        return reply.code(400).send({ error: 'invalid request', details: result.errors })
      }
      return reply.code(202).send({ status: 'pending' })
    },
  )

  app.get('/api/topics', { schema: apiSchemas.topics }, async () => {
    const topics = await listTopics(deps.database.db)
    return {
      topics: topics.map((t) => ({
        slug: t.slug,
        name: t.name,
        description: t.description,
        builtIn: t.builtIn,
        interests: t.interests,
      })),
    }
  })
}

function tooManyForAddress(reply: FastifyReply, retryAfterSeconds: number): never {
  reply.header('retry-after', retryAfterSeconds)
  throw new HttpError(
    429,
    `Too many requests for this address; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
  )
}

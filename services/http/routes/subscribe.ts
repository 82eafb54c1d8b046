import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { listTopics } from '../../db/repositories/topics.js'
import { normalizeEmailAddress } from '../../domain/email-address.js'
import { DEFAULT_PREFERENCES } from '../../domain/preferences.js'
import { requestSubscription } from '../../usecases/request-subscription.js'
import type { HttpDeps } from '../deps.js'
import { formToRequest, formValues, preferencesToValues } from '../form.js'

/** Per address, on top of the per-IP limit: stops one mailbox being targeted from many IPs. */
const ADDRESS_LIMIT = { max: 5, timeWindow: '10 minutes' } as const

export const subscribeRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const perIp = {
    rateLimit: { max: deps.config.subscribeRateLimit, timeWindow: '1 minute', groupId: 'subscribe-ip' },
  }
  const perAddress = app.rateLimit({
    ...ADDRESS_LIMIT,
    groupId: 'subscribe-address',
    keyGenerator: (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email
      const raw = Array.isArray(email) ? email[0] : email
      const address = typeof raw === 'string' ? normalizeEmailAddress(raw) : undefined
      return address?.ok ? `address:${address.address.toLowerCase()}` : `ip:${request.ip}`
    },
  })
  const mailQueue = deps.queues.mail
  const useCaseDeps = { db: deps.database.db, mailQueue, now: deps.now }

  app.get('/', async (_request, reply) => {
    const topics = await listTopics(deps.database.db)
    return reply
      .type('text/html; charset=utf-8')
      .send(deps.pages.subscribe({ topics, values: preferencesToValues('', DEFAULT_PREFERENCES), errors: {} }))
  })

  app.post('/subscribe', { config: perIp, preHandler: perAddress }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = formValues(body)
    // Bots fill every field; people never see this one. They get the usual answer and nothing happens.
    if (typeof body.website === 'string' && body.website !== '') {
      request.log.info('honeypot field filled; request ignored')
      return reply.type('text/html; charset=utf-8').send(deps.pages.checkInbox({ email: values.email }))
    }
    const result = await requestSubscription(formToRequest(body, true), useCaseDeps)
    if (!result.ok) {
      const topics = await listTopics(deps.database.db)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(deps.pages.subscribe({ topics, values, errors: result.errors }))
    }
    return reply.type('text/html; charset=utf-8').send(deps.pages.checkInbox({ email: result.email }))
  })

  app.post('/api/subscriptions', { config: perIp, preHandler: perAddress }, async (request, reply) => {
    if (!request.body || typeof request.body !== 'object' || Array.isArray(request.body)) {
      return reply.code(400).send({ error: 'invalid request', details: { body: 'must be a JSON object' } })
    }
    const result = await requestSubscription(request.body, useCaseDeps)
    if (!result.ok) {
      return reply.code(400).send({ error: 'invalid request', details: result.errors })
    }
    return reply.code(202).send({ status: 'pending' })
  })

  app.get('/api/topics', async () => {
    const topics = await listTopics(deps.database.db)
    return {
      topics: topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description, builtIn: t.builtIn, interests: t.interests })),
    }
  })
}

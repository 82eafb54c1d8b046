import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import {
  addTopic,
  editTopic,
  listManagedTopics,
  retireTopic,
  type TopicAdminDeps,
  type TopicRefusal,
  type TopicResult,
  topicView,
} from '../../usecases/manage-topics.js'
import type { HttpDeps } from '../deps.js'
import { requireAdmin } from '../plugins/admin-auth.js'
import { apiSchemas } from '../schemas.js'

const STATUS: Record<TopicRefusal['reason'], number> = {
  invalid: 400,
  'not-found': 404,
  exists: 409,
  'built-in': 409,
  retired: 409,
}

/**
 * The topics, managed without code: the same use cases as `paperboy topics`, behind
 * ADMIN_TOKEN (404 while it is unset, 401 for a wrong one, like POST /api/papers).
 */
export const adminTopicsRoutes: FastifyPluginAsync<{
  deps: HttpDeps
  topics: TopicAdminDeps
}> = async (app, { deps, topics }) => {
  app.addHook('onRequest', requireAdmin(deps.config.adminToken))
  const api = app.withTypeProvider<ZodTypeProvider>()
  // Bodies are checked by the use case, which also parses every interest line, so that each
  // problem is named at once, and the CLI gets the same answers.
  const checkedByUseCase = { validatorCompiler: () => (value: unknown) => ({ value }) }

  api.get('/api/admin/topics', { schema: apiSchemas.listManagedTopics }, async () => ({
    topics: (await listManagedTopics(topics)).map(topicView),
  }))

  api.post(
    '/api/admin/topics',
    { schema: apiSchemas.addTopic, ...checkedByUseCase },
    async (request, reply) => answer(reply, await addTopic(topics, request.body), 201),
  )

  api.patch(
    '/api/admin/topics/:slug',
    { schema: apiSchemas.editTopic, ...checkedByUseCase },
    async (request, reply) =>
      answer(reply, await editTopic(topics, request.params.slug, request.body), 200),
  )

  api.post(
    '/api/admin/topics/:slug/retire',
    { schema: apiSchemas.retireTopic },
    async (request, reply) => answer(reply, await retireTopic(topics, request.params.slug), 200),
  )
}

function answer(reply: FastifyReply, result: TopicResult, status: number) {
  if (result.ok) return reply.code(status).send({ topic: topicView(result.topic) })
  const { refusal } = result
  if (refusal.reason === 'invalid') {
    return reply.code(400).send({ error: 'invalid request', details: refusal.errors })
  }
  return reply.code(STATUS[refusal.reason]).send({ error: refusal.message })
}

import { createBullBoard } from '@bull-board/api'
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter'
import { FastifyAdapter } from '@bull-board/fastify'
import type { FastifyPluginAsync } from 'fastify'
import type { Queues } from '../../queue/queues.js'
import { requireAdmin } from '../plugins/admin-auth.js'
import { requireSameOrigin } from '../plugins/same-origin.js'

const BASE = '/admin/queues'

/**
 * BullMQ's own dashboard for every queue, behind ADMIN_TOKEN. Browsers cannot send a bearer
 * header, so HTTP Basic with the token as password is accepted too (any user name). A browser
 * sends cached Basic credentials with any site's form post, so the dashboard's actions (retry,
 * pause, add, clean) are taken only from pages of PUBLIC_URL's origin.
 */
export const adminQueuesRoutes: FastifyPluginAsync<{
  queues: Queues
  adminToken: string | undefined
  publicUrl: string
}> = async (app, { queues, adminToken, publicUrl }) => {
  const serverAdapter = new FastifyAdapter()
  serverAdapter.setBasePath(BASE)
  createBullBoard({
    queues: [queues.mail, queues.match, queues.ingest, queues.tick, queues.commands].map(
      (q) => new BullMQAdapter(q),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Paperboy queues' } },
  })
  await app.register(async (admin) => {
    admin.addHook('onRequest', requireAdmin(adminToken, { basic: true }))
    admin.addHook('onRequest', requireSameOrigin(publicUrl))
    // The dashboard is a single-page app with inline bootstrapping; it gets its own, looser policy.
    admin.addHook('onSend', async (_request, reply, payload) => {
      reply.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:; frame-ancestors 'none'",
      )
      return payload
    })
    await admin.register(serverAdapter.registerPlugin(), { prefix: BASE })
  })
}

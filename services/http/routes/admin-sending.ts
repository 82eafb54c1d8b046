import type { FastifyPluginAsync } from 'fastify'
import { resumeSending, sendingStatus } from '../../usecases/sending-pause.js'
import type { HttpDeps } from '../deps.js'
import { requireAdmin } from '../plugins/admin-auth.js'
import { pendingSnsConfirmations } from '../webhooks/sns-confirmations.js'

/** Whether digests are paused for complaints, and the operator's resume; ADMIN_TOKEN. */
export const adminSendingRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const route = { onRequest: requireAdmin(deps.config.adminToken) }
  const pauseDeps = {
    db: deps.database.db,
    queues: deps.queues,
    logger: deps.feedback.logger,
    now: deps.now,
  }
  app.get('/admin/sending', route, async () => statusJson(await sendingStatus(pauseDeps)))
  app.post('/admin/sending/resume', route, async () => {
    const resumed = await resumeSending(pauseDeps, 'the admin API')
    return { ...resumed, ...statusJson(await sendingStatus(pauseDeps)) }
  })
  app.get('/admin/sns-confirmations', route, async () => ({
    confirmations: await pendingSnsConfirmations(deps),
  }))
}

function statusJson(status: Awaited<ReturnType<typeof sendingStatus>>) {
  return {
    paused: status.paused,
    reason: status.reason,
    since: status.changedAt?.toISOString() ?? null,
    complaints: status.complaints,
    sent: status.sent,
    complaintRate: status.rate,
  }
}

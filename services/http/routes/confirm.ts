import type { FastifyPluginAsync } from 'fastify'
import { confirmSubscriber } from '../../db/repositories/subscribers.js'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

export const confirmRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  app.get<{ Querystring: { token?: string } }>('/confirm', async (request, reply) => {
    const now = deps.now()
    const guard = await subscriberFromToken(
      deps.database.db,
      deps.secret,
      request.query.token,
      'confirm',
      now,
    )
    if (!guard.ok) return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
    const status = await confirmSubscriber(deps.database.db, guard.subscriber.id, now)
    if (status === 'unsubscribed' || status === 'bounced') {
      // An old confirmation link must not undo a later unsubscribe.
      return sendErrorPage(
        reply,
        deps,
        410,
        'This confirmation link is no longer valid',
        'This address was unsubscribed after the link was sent. Subscribe again from the home page.',
      )
    }
    return reply
      .type('text/html; charset=utf-8')
      .send(deps.pages.confirmed({ preferencesUrl: deps.links.preferences(guard.subscriber) }))
  })
}

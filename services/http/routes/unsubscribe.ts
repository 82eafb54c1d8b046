import type { FastifyPluginAsync } from 'fastify'
import { unsubscribeSubscriber } from '../../db/repositories/subscribers.js'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

type TokenQuery = { Querystring: { token?: string } }

/**
 * GET only shows a button: mail scanners and link previews follow every link, and must not
 * unsubscribe anyone. POST acts at once, for the button and for RFC 8058 one-click clients.
 */
export const unsubscribeRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  app.get<TokenQuery>('/unsubscribe', async (request, reply) => {
    const guard = await subscriberFromToken(
      deps.database.db,
      deps.secret,
      request.query.token,
      'unsubscribe',
      deps.now(),
    )
    if (!guard.ok) return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
    const action = `/unsubscribe?token=${encodeURIComponent(request.query.token ?? '')}`
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.unsubscribe({ email: guard.subscriber.email, action }))
  })

  app.post<TokenQuery>('/unsubscribe', async (request, reply) => {
    const now = deps.now()
    const guard = await subscriberFromToken(
      deps.database.db,
      deps.secret,
      request.query.token,
      'unsubscribe',
      now,
    )
    const oneClick = isOneClick(request.body)
    if (!guard.ok) {
      if (oneClick) return reply.code(guard.status).type('text/plain').send(guard.title)
      return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
    }
    await unsubscribeSubscriber(
      deps.database.db,
      guard.subscriber.id,
      oneClick ? 'one-click unsubscribe (RFC 8058)' : 'unsubscribe page',
      now,
    )
    if (oneClick) return reply.code(200).type('text/plain').send('Unsubscribed.')
    return reply
      .type('text/html; charset=utf-8')
      .send(deps.pages.unsubscribed({ preferencesUrl: deps.links.preferences(guard.subscriber) }))
  })
}

function isOneClick(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click'
  )
}

import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Subscriber } from '../../db/repositories/subscribers.js'
import { alreadyUnsubscribed, unsubscribe } from '../../usecases/unsubscribe.js'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

type TokenQuery = { Querystring: { token?: string } }

/**
 * GET only shows a button: mail scanners and link previews follow every link, and must not
 * unsubscribe anyone. POST acts at once, for the button and for RFC 8058 one-click clients.
 * Unsubscribing revokes every earlier link, this one included; posting it again still
 * answers "unsubscribed", since that is what it asks for.
 */
export const unsubscribeRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const guard = (token: string | undefined) =>
    subscriberFromToken(deps.database.db, deps.secret, token, 'unsubscribe', deps.now())

  app.get<TokenQuery>('/unsubscribe', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    const action = `/unsubscribe?token=${encodeURIComponent(request.query.token ?? '')}`
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.unsubscribe({ email: checked.subscriber.email, action }))
  })

  app.post<TokenQuery>('/unsubscribe', async (request, reply) => {
    const checked = await guard(request.query.token)
    const oneClick = isOneClick(request.body)
    if (!checked.ok) {
      if (checked.reason === 'revoked' && alreadyUnsubscribed(checked.subscriber.status)) {
        return sendUnsubscribed(reply, deps, oneClick, undefined)
      }
      if (oneClick) return reply.code(checked.status).type('text/plain').send(checked.title)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    }
    const unsubscribed = await unsubscribe(
      { db: deps.database.db, now: deps.now },
      checked.subscriber.id,
      oneClick ? 'one-click' : 'page',
    )
    return sendUnsubscribed(reply, deps, oneClick, unsubscribed)
  })
}

/**
 * The answer to an unsubscribe. Only the request that made the change gets fresh links (to
 * the preferences and to resubscribe); a repeat with a revoked link gets none.
 */
function sendUnsubscribed(
  reply: FastifyReply,
  deps: HttpDeps,
  oneClick: boolean,
  subscriber: Subscriber | undefined,
) {
  if (oneClick) return reply.code(200).type('text/plain').send('Unsubscribed.')
  const links = subscriber && {
    preferencesUrl: deps.links.preferences(subscriber),
    resubscribeAction: `/preferences/resubscribe?token=${encodeURIComponent(deps.links.token('preferences', subscriber))}`,
  }
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(deps.pages.unsubscribed({ links }))
}

function isOneClick(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as Record<string, unknown>)['List-Unsubscribe'] === 'One-Click'
  )
}

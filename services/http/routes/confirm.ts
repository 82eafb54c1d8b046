import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { confirmSubscriber, type Subscriber } from '../../db/repositories/subscribers.js'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

type TokenQuery = { Querystring: { token?: string } }

/**
 * GET only shows a button: link scanners and previews follow every link in an email, and must
 * not confirm a subscription that a stranger started. POST confirms, idempotently.
 */
export const confirmRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const guard = (token: string | undefined) =>
    subscriberFromToken(deps.database.db, deps.secret, token, 'confirm', deps.now())

  app.get<TokenQuery>('/confirm', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    if (!confirmable(checked.subscriber)) return sendNoLongerValid(reply, deps)
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        deps.pages.confirm({
          email: checked.subscriber.email,
          action: `/confirm?token=${encodeURIComponent(request.query.token ?? '')}`,
        }),
      )
  })

  app.post<TokenQuery>('/confirm', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    const status = await confirmSubscriber(deps.database.db, checked.subscriber.id, deps.now())
    if (status !== 'active') return sendNoLongerValid(reply, deps)
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.confirmed({ preferencesUrl: deps.links.preferences(checked.subscriber) }))
  })
}

/** Pending, or already confirmed (pressing the button twice is fine). */
function confirmable(subscriber: Subscriber): boolean {
  return subscriber.status === 'pending' || subscriber.status === 'active'
}

// A bounced address stays bounced: an old confirmation link must not bring it back.
function sendNoLongerValid(reply: FastifyReply, deps: HttpDeps) {
  return sendErrorPage(
    reply,
    deps,
    410,
    'This confirmation link is no longer valid',
    'Emails to this address could not be delivered, or it was unsubscribed after the link was sent. Subscribe again from the home page.',
  )
}

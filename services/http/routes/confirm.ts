import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { confirmable, confirmSubscription } from '../../usecases/confirm-subscription.js'
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
    if (!confirmable(checked.subscriber.status)) return sendNoLongerValid(reply, deps)
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
    const confirmed = await confirmSubscription(
      { db: deps.database.db, now: deps.now },
      checked.subscriber.id,
    )
    if (!confirmed) return sendNoLongerValid(reply, deps)
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.confirmed({ preferencesUrl: deps.links.preferences(checked.subscriber) }))
  })
}

function sendNoLongerValid(reply: FastifyReply, deps: HttpDeps) {
  return sendErrorPage(
    reply,
    deps,
    410,
    'This confirmation link is no longer valid',
    'Emails to this address could not be delivered, or it was unsubscribed after the link was sent. Subscribe again from the home page.',
  )
}

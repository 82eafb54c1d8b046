import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { listMutes } from '../../db/repositories/mutes.js'
import type { Subscriber } from '../../db/repositories/subscribers.js'
import { listAllTopics } from '../../db/repositories/topics.js'
import { muteClause, muteLines } from '../../domain/mutes.js'
import type { FieldErrors } from '../../domain/preferences.js'
import { deleteSubscriberData } from '../../usecases/delete-subscriber-data.js'
import { requestResubscription } from '../../usecases/resubscribe.js'
import { signOutAllLinks } from '../../usecases/sign-out-links.js'
import { updatePreferences } from '../../usecases/update-preferences.js'
import type { HttpDeps } from '../deps.js'
import { formToRequest, formValues, preferencesToValues } from '../form.js'
import type { SubscriptionValues } from '../pages/page-renderer.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'
import { feedLinks } from './feeds.js'

type TokenQuery = { Querystring: { token?: string } }

/** The preference centre: the signed link is the only credential, so every action re-checks it. */
export const preferencesRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const db = deps.database.db
  const flow = { db, now: deps.now }

  async function show(
    reply: FastifyReply,
    subscriber: Subscriber,
    token: string,
    state: {
      values?: SubscriptionValues
      errors?: FieldErrors
      saved?: boolean
      status?: number
      /** The muted-terms textarea as typed, when the form comes back with an error. */
      muted?: string
    },
  ) {
    const [all, mutedTerms] = await Promise.all([listAllTopics(db), listMutes(db, subscriber.id)])
    const followed = new Set(subscriber.topics)
    const retiredTopics = all
      .filter((t) => t.retiredAt && followed.has(t.slug))
      .map((t) => ({ name: t.name }))
    const topics = all.filter((t) => !t.retiredAt)
    const q = `?token=${encodeURIComponent(token)}`
    return reply
      .code(state.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        deps.pages.preferences({
          topics,
          retiredTopics,
          values: state.values ?? preferencesToValues(subscriber.email, subscriber),
          errors: state.errors ?? {},
          status: subscriber.status,
          saved: state.saved ?? false,
          formAction: `/preferences${q}`,
          deleteAction: `/preferences/delete${q}`,
          unsubscribeAction: `/unsubscribe?token=${encodeURIComponent(deps.links.token('unsubscribe', subscriber))}`,
          resubscribeAction: `/preferences/resubscribe${q}`,
          signOutAction: `/preferences/sign-out${q}`,
          feed: feedLinks(deps.links, subscriber),
          muted: {
            text: state.muted ?? mutedTerms.map(muteClause).join('\n'),
            clauses: mutedTerms.map(muteClause),
          },
        }),
      )
  }

  const guard = (token: string | undefined) =>
    subscriberFromToken(db, deps.secret, token, 'preferences', deps.now())

  app.get<TokenQuery>('/preferences', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    return show(reply, checked.subscriber, request.query.token ?? '', {})
  })

  app.post<TokenQuery>('/preferences', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    const { subscriber } = checked
    const mutedText = mutedField(request.body)
    const result = await updatePreferences(
      flow,
      subscriber.id,
      formToRequest(request.body, false),
      mutedText === undefined ? undefined : muteLines(mutedText),
    )
    const token = request.query.token ?? ''
    if (!result.ok) {
      const values = { ...formValues(request.body), email: subscriber.email }
      return show(reply, subscriber, token, {
        values,
        errors: result.errors,
        status: 400,
        ...(mutedText === undefined ? {} : { muted: mutedText }),
      })
    }
    return show(reply, { ...subscriber, ...result.value }, token, { saved: true })
  })

  app.post<TokenQuery>('/preferences/resubscribe', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    const { subscriber } = checked
    if (!(await requestResubscription(db, deps.queues.mail, subscriber.id, deps.now()))) {
      // Not unsubscribed (the button was pressed twice, say): nothing to do, the link still works.
      return reply.redirect(
        `/preferences?token=${encodeURIComponent(request.query.token ?? '')}`,
        303,
      )
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.resubscribeRequested({ email: subscriber.email }))
  })

  app.post<TokenQuery>('/preferences/sign-out', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    await signOutAllLinks(flow, checked.subscriber.id)
    request.log.info({ subscriberId: checked.subscriber.id }, 'subscriber signed out all links')
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.signedOut())
  })

  app.post<TokenQuery>('/preferences/delete', async (request, reply) => {
    const checked = await guard(request.query.token)
    if (!checked.ok)
      return sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
    const confirmed = (request.body as Record<string, unknown> | undefined)?.confirm === 'yes'
    if (!confirmed) {
      return show(reply, checked.subscriber, request.query.token ?? '', {
        errors: { confirm: 'Tick the box to confirm that all your data should be deleted.' },
        status: 400,
      })
    }
    await deleteSubscriberData(flow, checked.subscriber.id)
    request.log.info({ subscriberId: checked.subscriber.id }, 'subscriber deleted their data')
    return reply.type('text/html; charset=utf-8').send(deps.pages.deleted())
  })
}

/** The muted-terms textarea; absent from forms that predate it, which then leave mutes as they are. */
function mutedField(body: unknown): string | undefined {
  const value = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>
  const muted = Array.isArray(value.muted) ? value.muted[0] : value.muted
  return typeof muted === 'string' ? muted : undefined
}

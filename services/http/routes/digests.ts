import type { FastifyPluginAsync } from 'fastify'
import { findDigest } from '../../db/repositories/digests.js'
import { composeDigest } from '../../domain/digest.js'
import { digestInput } from '../../jobs/send-digest.js'
import type { HttpDeps } from '../deps.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

/** A sent digest in the browser, every paper (the email shows the best 25). */
export const digestRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/digests/:id',
    async (request, reply) => {
      const db = deps.database.db
      const guard = await subscriberFromToken(
        db,
        deps.secret,
        request.query.token,
        'digest',
        deps.now(),
      )
      if (!guard.ok) return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
      const id = Number(request.params.id)
      const digest = Number.isSafeInteger(id) ? await findDigest(db, id) : undefined
      // Someone else's digest looks exactly like a missing one.
      if (!digest || digest.subscriberId !== guard.subscriber.id || digest.status === 'empty') {
        return sendErrorPage(
          reply,
          deps,
          404,
          'Digest not found',
          'There is no such digest for this subscription.',
        )
      }
      const composed = composeDigest({
        ...(await digestInput(db, digest.id)),
        limit: Number.POSITIVE_INFINITY,
      })
      const date = digest.sentAt ?? digest.createdAt
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(
          deps.pages.digest({
            digest: composed,
            dateLabel: `sent on ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: guard.subscriber.timezone })}`,
            preferencesUrl: deps.links.preferences(guard.subscriber),
          }),
        )
    },
  )
}

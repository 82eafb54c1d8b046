import type { FastifyPluginAsync } from 'fastify'
import { viewDigest } from '../../usecases/view-digest.js'
import type { HttpDeps } from '../deps.js'
import type { DigestPagination } from '../pages/page-renderer.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

const WHOLE_NUMBER = /^[1-9]\d{0,8}$/

/**
 * A sent digest in the browser, every paper (the email shows the best 25), a hundred a page
 * (`?page=N`), so even a digest of tens of thousands of papers is a page a browser can open.
 */
export const digestRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  app.get<{ Params: { id: string }; Querystring: { token?: string; page?: string } }>(
    '/digests/:id',
    async (request, reply) => {
      const { token } = request.query
      const guard = await subscriberFromToken(
        deps.database.db,
        deps.secret,
        token,
        'digest',
        deps.now(),
      )
      if (!guard.ok) return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
      const pageText = request.query.page ?? '1'
      if (!WHOLE_NUMBER.test(pageText)) {
        return sendErrorPage(
          reply,
          deps,
          400,
          'No such page',
          `The page number must be a whole number from 1 (got "${pageText.slice(0, 20)}").`,
        )
      }
      const page = Number(pageText)
      const found = await viewDigest(
        { db: deps.database.db, topicNames: deps.topicNames },
        guard.subscriber.id,
        Number(request.params.id),
        page,
      )
      if (found.kind === 'not-found') {
        return sendErrorPage(
          reply,
          deps,
          404,
          'Digest not found',
          'There is no such digest for this subscription.',
        )
      }
      if (found.kind === 'past-the-end') {
        return sendErrorPage(
          reply,
          deps,
          404,
          'No such page',
          `This digest has ${found.pageCount} page${found.pageCount === 1 ? '' : 's'}.`,
        )
      }
      const { digest, page: composed } = found
      // `token` is known good here: the guard above verified it.
      const pageUrl = (n: number) =>
        `/digests/${digest.id}?${new URLSearchParams({ token: token ?? '', page: String(n) })}`
      const pagination: DigestPagination = {
        page,
        pageCount: composed.pageCount,
        previousUrl: page > 1 ? pageUrl(page - 1) : null,
        nextUrl: page < composed.pageCount ? pageUrl(page + 1) : null,
      }
      const date = digest.sentAt ?? digest.createdAt
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(
          deps.pages.digest({
            digest: composed.digest,
            pagination,
            continuesGroup: composed.continuesGroup,
            dateLabel: `sent on ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: guard.subscriber.timezone })}`,
            preferencesUrl: deps.links.preferences(guard.subscriber),
            triage: deps.links.triage(guard.subscriber),
          }),
        )
    },
  )
}

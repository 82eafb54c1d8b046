import { createHash } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fresh from 'fresh'
import { type FeedFormat, isFeedFormat } from '../../domain/feed.js'
import type { LinkSubject, Links } from '../../links.js'
import { personalFeed } from '../../usecases/personal-feed.js'
import type { HttpDeps } from '../deps.js'
import type { FeedLinks } from '../pages/page-renderer.js'
import { sendErrorPage } from '../plugins/errors.js'
import { type Guarded, subscriberFromToken } from '../token-guard.js'

/** The subscriber's feed addresses, as the preference centre and the feed page show them. */
export function feedLinks(links: Links, subscriber: LinkSubject): FeedLinks {
  return {
    atom: links.feed(subscriber, 'atom'),
    rss: links.feed(subscriber, 'rss'),
    json: links.feed(subscriber, 'json'),
  }
}

/**
 * `<token>.atom`, `.rss`, `.json`: the feed; `<token>` alone: the page about it. A token is
 * base64url with one dot in it, so anything after a second dot is a format this does not serve.
 */
function parseFeedFile(file: string): { token: string; format: FeedFormat | null | 'unknown' } {
  const dot = file.lastIndexOf('.')
  const suffix = file.slice(dot + 1)
  if (dot >= 0 && isFeedFormat(suffix)) return { token: file.slice(0, dot), format: suffix }
  const parts = file.split('.')
  if (parts.length > 2) return { token: parts.slice(0, 2).join('.'), format: 'unknown' }
  return { token: file, format: null }
}

/** Readers show a plain body at best: a line that says what happened is all they need. */
function refuse(reply: FastifyReply, guard: Extract<Guarded, { ok: false }>) {
  const [status, body] =
    guard.reason === 'invalid'
      ? [404, 'No such feed.']
      : guard.reason === 'deleted'
        ? [410, 'This feed is gone: its subscription no longer exists.']
        : [
            410,
            'This feed link no longer works (links were signed out, or the subscription ended). ' +
              'The preferences linked from your latest digest show its new address.',
          ]
  return reply
    .code(status)
    .type('text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`${body}\n`)
}

/**
 * A strong validator of the exact bytes served: every change shows, whatever caused it (a new
 * digest, a renamed topic, a corrected abstract), and an unchanged feed keeps its tag across
 * processes and restarts.
 */
function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
}

/**
 * Personal feeds at stable addresses with the token in the path (feed readers keep an address
 * as given, query strings included, but some mangle them). Readers poll: an unchanged feed is
 * a 304 to a conditional GET.
 */
export const feedRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const db = deps.database.db

  app.get<{ Params: { file: string } }>('/feeds/:file', async (request, reply) => {
    const { token, format } = parseFeedFile(request.params.file)
    const guard = await subscriberFromToken(db, deps.secret, token, 'feed', deps.now())
    if (format === null) {
      if (!guard.ok) return sendErrorPage(reply, deps, guard.status, guard.title, guard.message)
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(deps.pages.feed({ feed: feedLinks(deps.links, guard.subscriber) }))
    }
    if (!guard.ok) return refuse(reply, guard)
    if (format === 'unknown') {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('No such feed format: use .atom, .rss or .json.\n')
    }
    const feed = await personalFeed(
      { db, links: deps.links, publicUrl: deps.config.publicUrl },
      guard.subscriber,
      format,
    )
    // Kept by the reader, not by shared caches (the address is a credential), and checked
    // with the server on every poll.
    reply
      .header('cache-control', 'private, no-cache')
      .header('etag', entityTag(feed.body))
      .header('last-modified', feed.lastModified.toUTCString())
      .header('x-robots-tag', 'noindex')
    if (fresh(request.headers, reply.getHeaders())) return reply.code(304).send()
    return reply.type(feed.contentType).send(feed.body)
  })
}

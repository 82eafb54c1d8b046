import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Subscriber } from '../../db/repositories/subscribers.js'
import { findTriagePaper } from '../../db/repositories/triage.js'
import { MAX_ID_LENGTH } from '../../domain/papers/ids.js'
import { isTriageAction, type TriageAction, type TriagePaper } from '../../domain/triage.js'
import { addInterest, muteTerm, triageChoices } from '../../usecases/triage.js'
import type { HttpDeps } from '../deps.js'
import type { TriagePageData } from '../pages/page-renderer.js'
import { sendErrorPage } from '../plugins/errors.js'
import { subscriberFromToken } from '../token-guard.js'

type TriageRequest = {
  Params: { action: string }
  Querystring: { p?: string; token?: string }
}

/**
 * "More like this", "mute this author" and "mute this word" under each paper of a digest.
 * GET only shows the choice and one button: mail scanners and link previews follow every link
 * and must change nothing. POST applies the choice, idempotently, and says what changed.
 */
export const triageRoutes: FastifyPluginAsync<{ deps: HttpDeps }> = async (app, { deps }) => {
  const db = deps.database.db
  const flow = { db, now: deps.now }

  /** The subscriber and the paper a triage link names, or the error page already sent. */
  async function open(
    request: { params: TriageRequest['Params']; query: TriageRequest['Querystring'] },
    reply: FastifyReply,
  ) {
    const checked = await subscriberFromToken(
      db,
      deps.secret,
      request.query.token,
      'triage',
      deps.now(),
    )
    if (!checked.ok) {
      sendErrorPage(reply, deps, checked.status, checked.title, checked.message)
      return undefined
    }
    const { action } = request.params
    // A repeated `p` arrives as a list: only one id is a paper's.
    const paperId: unknown = request.query.p
    const paper =
      isTriageAction(action) &&
      typeof paperId === 'string' &&
      paperId !== '' &&
      paperId.length <= MAX_ID_LENGTH
        ? await findTriagePaper(db, paperId, checked.subscriber.id)
        : undefined
    if (!paper || !isTriageAction(action)) {
      sendErrorPage(
        reply,
        deps,
        404,
        'Paper not found',
        'This link names no paper we know. Please copy the whole link from the email.',
      )
      return undefined
    }
    return { subscriber: checked.subscriber, paper, action }
  }

  const actionUrl = (action: TriageAction, paperId: string, token: string) =>
    `/triage/${action}?${new URLSearchParams({ p: paperId, token })}`

  function showChoice(
    reply: FastifyReply,
    found: { subscriber: Subscriber; paper: TriagePaper; action: TriageAction },
    token: string,
    state: { error?: string; value?: string; status?: number },
  ) {
    const { paper, action, subscriber } = found
    const choices = triageChoices(paper)
    const data: TriagePageData = {
      action,
      paperTitle: paper.title,
      formAction: actionUrl(action, paper.id, token),
      authors: choices.authors,
      words: choices.words,
      interest:
        action === 'more' ? (state.value ?? choices.interest ?? '') : (choices.interest ?? ''),
      custom: action === 'word' ? (state.value ?? '') : '',
      interestCount: subscriber.interests.length,
      error: state.error ?? null,
      preferencesUrl: deps.links.preferences(subscriber),
    }
    return reply
      .code(state.status ?? 200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(deps.pages.triage(data))
  }

  app.get<TriageRequest>('/triage/:action', async (request, reply) => {
    const found = await open(request, reply)
    if (!found) return reply
    return showChoice(reply, found, request.query.token ?? '', {})
  })

  app.post<TriageRequest>('/triage/:action', async (request, reply) => {
    const found = await open(request, reply)
    if (!found) return reply
    const body = (request.body ?? {}) as Record<string, unknown>
    const token = request.query.token ?? ''
    const { subscriber, action } = found
    const typed = typeof body.custom === 'string' ? body.custom.trim() : ''
    const chosen = action === 'more' ? body.interest : typed !== '' ? typed : body.term
    const result =
      action === 'more'
        ? await addInterest(flow, subscriber, chosen)
        : chosen === undefined
          ? {
              ok: false as const,
              error:
                action === 'author'
                  ? 'Choose an author to mute.'
                  : 'Choose or type a word to mute.',
            }
          : await muteTerm(flow, subscriber.id, chosen)
    if (!result.ok) {
      const value = typeof chosen === 'string' ? chosen : undefined
      // What was typed comes back in its field, to be corrected rather than typed again.
      const kept = action === 'more' ? value : typed
      return showChoice(reply, found, token, {
        error: result.error,
        status: 400,
        ...(kept !== undefined ? { value: kept } : {}),
      })
    }
    request.log.info(
      { subscriberId: subscriber.id, action, changed: result.changed },
      'digest triage applied',
    )
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        deps.pages.triaged({
          added: action === 'more',
          changed: result.changed,
          term: result.term,
          preferencesUrl: deps.links.preferences(subscriber),
        }),
      )
  })
}

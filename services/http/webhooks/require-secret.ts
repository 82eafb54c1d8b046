import type { FastifyReply, FastifyRequest } from 'fastify'
import { basicPassword, sameSecret } from './signatures.js'

/**
 * An onRequest hook for a webhook authenticated by a shared secret, checked before the body is
 * read: HTTP Basic (any user name, the secret as password), or, where `inQuery`, a `secret`
 * query parameter (for senders that cannot do Basic; request logs blank it). An endpoint whose
 * secret is unset does not exist: 404, saying which variable enables it.
 */
export function requireWebhookSecret(
  secret: string | undefined,
  variable: string,
  options: { inQuery: boolean },
) {
  return async function checkWebhookSecret(request: FastifyRequest, reply: FastifyReply) {
    if (!secret)
      return reply
        .code(404)
        .send({ error: `this webhook is disabled; set ${variable} to enable it` })
    const query = request.query as Record<string, unknown> | undefined
    const given =
      basicPassword(request.headers.authorization) ??
      (options.inQuery && typeof query?.secret === 'string' ? query.secret : undefined)
    if (given === undefined || !sameSecret(given, secret)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="paperboy-webhooks"')
        .send({
          error: `missing or wrong webhook secret: send ${variable} as the password of HTTP Basic${options.inQuery ? ' or as ?secret=' : ''}`,
        })
    }
  }
}

/** The 404 of a signed endpoint whose key is unset. */
export function disabledUnless(value: string | undefined, variable: string) {
  return async function checkEnabled(_request: FastifyRequest, reply: FastifyReply) {
    if (!value)
      return reply
        .code(404)
        .send({ error: `this webhook is disabled; set ${variable} to enable it` })
  }
}

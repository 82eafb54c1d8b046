import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { HttpDeps } from '../deps.js'

/** JSON for /api and machine routes, an HTML page for everything a person opens. */
export function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || !(request.headers.accept ?? '').includes('text/html')
}

export function sendErrorPage(
  reply: FastifyReply,
  deps: HttpDeps,
  status: number,
  title: string,
  message: string,
) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(deps.pages.error({ status, title, message }))
}

const KNOWN: Record<number, { title: string; message: string }> = {
  400: { title: 'Bad request', message: 'The request could not be read.' },
  404: { title: 'Page not found', message: 'There is nothing at this address.' },
  413: { title: 'Request too large', message: 'The request body is too large.' },
  415: { title: 'Unsupported content type', message: 'Send a form (urlencoded) or JSON.' },
  429: { title: 'Too many requests', message: 'Please wait a little and try again.' },
}

/** One place decides what an error looks like; 5xx details stay in the log, never in the answer. */
export function registerErrorHandling(app: FastifyInstance, deps: HttpDeps) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = fieldMessages(error.validation, error.validationContext ?? 'body')
      return reply.code(400).send({ error: 'invalid request', details })
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    const known = KNOWN[status]
    const message =
      status >= 500
        ? 'Something went wrong on our side. Please try again in a minute.'
        : status === 413
          ? `the request body is larger than the ${formatBytes(request.routeOptions.bodyLimit)} this route accepts`
          : error.message || known?.message
    if (wantsJson(request)) {
      return reply.code(status).send({ error: message ?? 'error' })
    }
    return sendErrorPage(reply, deps, status, known?.title ?? 'Error', message ?? '')
  })
  app.setNotFoundHandler((request, reply) => {
    if (wantsJson(request))
      return reply
        .code(404)
        .send({ error: `no route ${request.method} ${request.url.split('?')[0]}` })
    return sendErrorPage(reply, deps, 404, 'Page not found', 'There is nothing at this address.')
  })
}

/**
 * A route schema's issues as field -> message, the first message of each field; an unknown
 * field is named as such, and an issue about the whole input goes under its part's name
 * (`body`, `querystring`).
 */
function fieldMessages(
  issues: readonly FastifySchemaValidationError[],
  part: string,
): Record<string, string> {
  const details: Record<string, string> = {}
  for (const issue of issues) {
    const keys = issue.params.keys
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
      for (const key of keys) details[String(key)] ??= 'unknown field'
      continue
    }
    const field = issue.instancePath.split('/')[1] || part
    details[field] ??= issue.message ?? 'is invalid'
  }
  return details
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'limit'
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.round(bytes / 1024)} KB`
}

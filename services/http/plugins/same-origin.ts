import type { FastifyReply, FastifyRequest } from 'fastify'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The origin of a URL (`https://example.org`), or undefined for anything that is not one. */
function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/**
 * An onRequest hook refusing state-changing requests that a browser sent from another site.
 * A browser that has cached HTTP Basic credentials attaches them to a cross-site form post,
 * so authentication alone does not stop cross-site request forgery; the Origin header (or,
 * when a browser leaves it out, the Referer) says which page made the request. Requests
 * carrying neither come from programs, not from pages, and are left to authentication.
 */
export function requireSameOrigin(publicUrl: string) {
  const own = originOf(publicUrl)
  return async function checkSameOrigin(request: FastifyRequest, reply: FastifyReply) {
    if (SAFE_METHODS.has(request.method)) return
    const { origin, referer } = request.headers
    const claimed = origin ?? referer
    if (claimed === undefined) return
    const from = originOf(claimed)
    if (from !== undefined && from === own) return
    const header = origin !== undefined ? 'Origin' : 'Referer'
    return reply.code(403).send({
      error: `cross-site request refused: ${header} ${JSON.stringify(claimed.slice(0, 200))} is not this site (${own}, from PUBLIC_URL)`,
    })
  }
}

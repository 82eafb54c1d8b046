import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * An onRequest hook for admin routes: runs before the body is read, so an unauthenticated
 * upload is refused without being received. Hashing both sides makes the comparison
 * constant-time whatever the lengths. With `basic`, HTTP Basic (any user, the token as
 * password) is accepted too, for pages opened in a browser.
 */
export function requireAdmin(adminToken: string | undefined, options: { basic?: boolean } = {}) {
  const expected = adminToken ? digest(adminToken) : undefined
  return async function checkAdmin(request: FastifyRequest, reply: FastifyReply) {
    if (!expected) {
      return reply
        .code(404)
        .send({ error: 'admin routes are disabled; set ADMIN_TOKEN to enable them' })
    }
    const given = presentedToken(request.headers.authorization ?? '', options.basic ?? false)
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return reply
        .code(401)
        .header(
          'www-authenticate',
          options.basic ? 'Basic realm="paperboy-admin"' : 'Bearer realm="paperboy-admin"',
        )
        .send({ error: 'missing or wrong admin token (Authorization: Bearer $ADMIN_TOKEN)' })
    }
  }
}

function presentedToken(header: string, basic: boolean): string {
  if (header.startsWith('Bearer ')) return header.slice('Bearer '.length)
  if (basic && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')
    return decoded.slice(decoded.indexOf(':') + 1)
  }
  return ''
}

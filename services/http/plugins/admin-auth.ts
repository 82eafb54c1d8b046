import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * An onRequest hook for admin routes: runs before the body is read, so an unauthenticated
 * upload is refused without being received. Hashing both sides makes the comparison
 * constant-time whatever the lengths.
 */
export function requireAdmin(adminToken: string | undefined) {
  const expected = adminToken ? digest(adminToken) : undefined
  return async function checkAdmin(request: FastifyRequest, reply: FastifyReply) {
    if (!expected) {
      return reply
        .code(404)
        .send({ error: 'admin routes are disabled; set ADMIN_TOKEN to enable them' })
    }
    const header = request.headers.authorization ?? ''
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="paperboy-admin"')
        .send({ error: 'missing or wrong admin token (Authorization: Bearer $ADMIN_TOKEN)' })
    }
  }
}

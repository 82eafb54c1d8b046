import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

const digest = (value: string) => createHash('sha256').update(value).digest()

/**
 * Whether `given` equals one of `accepted` (digests). Hashing both sides makes each comparison
 * constant-time whatever the lengths, and every accepted token is compared, so the time does
 * not tell which one (if any) matched.
 */
function matchesAny(given: string, accepted: readonly Buffer[]): boolean {
  const presented = digest(given)
  let found = false
  for (const expected of accepted) found = timingSafeEqual(presented, expected) || found
  return found
}

export interface TokenCheck {
  /** Any of these is accepted; at least one. */
  readonly tokens: readonly string[]
  /** Also accept HTTP Basic (any user, the token as password), for pages opened in a browser. */
  readonly basic?: boolean
  readonly realm: string
  /** The 401's message: which token, and how to present it. */
  readonly hint: string
}

/**
 * An onRequest hook that answers 401 unless the request presents one of `tokens` as a bearer
 * token. It runs before the body is read, so an unauthenticated upload is refused without
 * being received.
 */
export function requireToken(check: TokenCheck) {
  if (check.tokens.length === 0) throw new Error(`no token accepted for realm ${check.realm}`)
  const accepted = check.tokens.map(digest)
  const basic = check.basic ?? false
  return async function checkToken(request: FastifyRequest, reply: FastifyReply) {
    const given = presentedToken(request.headers.authorization ?? '', basic)
    if (!given || !matchesAny(given, accepted)) {
      return reply
        .code(401)
        .header('www-authenticate', `${basic ? 'Basic' : 'Bearer'} realm="${check.realm}"`)
        .send({ error: check.hint })
    }
  }
}

/** The hook for admin routes: ADMIN_TOKEN, or 404 when it is unset (admin routes disabled). */
export function requireAdmin(adminToken: string | undefined, options: { basic?: boolean } = {}) {
  if (!adminToken) {
    return async function adminDisabled(_request: FastifyRequest, reply: FastifyReply) {
      return reply
        .code(404)
        .send({ error: 'admin routes are disabled; set ADMIN_TOKEN to enable them' })
    }
  }
  return requireToken({
    tokens: [adminToken],
    basic: options.basic ?? false,
    realm: 'paperboy-admin',
    hint: 'missing or wrong admin token (Authorization: Bearer $ADMIN_TOKEN)',
  })
}

function presentedToken(header: string, basic: boolean): string {
  if (header.startsWith('Bearer ')) return header.slice('Bearer '.length)
  if (basic && header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8')
    return decoded.slice(decoded.indexOf(':') + 1)
  }
  return ''
}

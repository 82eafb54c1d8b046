import type { Redis } from 'ioredis'
import type { AddressLimiter } from '../usecases/request-subscription.js'

export interface AddressLimit {
  readonly max: number
  readonly windowMs: number
}

/**
 * A fixed-window counter per address in Redis, on top of @fastify/rate-limit's per-IP limit
 * (that plugin runs one limiter per request, so it cannot also count per address). Only
 * valid requests are counted: someone fixing typos in the form is never locked out.
 */
export function redisAddressLimiter(
  redis: Redis,
  keyPrefix: string,
  limit: AddressLimit,
): AddressLimiter {
  return async (address) => {
    const key = `${keyPrefix}${address.toLowerCase()}`
    const results = await redis
      .multi()
      .incr(key)
      .pexpire(key, limit.windowMs, 'NX')
      .pttl(key)
      .exec()
    const count = Number(results?.[0]?.[1])
    if (count <= limit.max) return { allowed: true }
    const ttl = Number(results?.[2]?.[1])
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) }
  }
}

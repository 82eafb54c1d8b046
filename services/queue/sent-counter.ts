import type { Redis } from 'ioredis'

/**
 * Digests sent per UTC day, the denominator of the complaint rate. Counted in Redis (one
 * INCR per digest, shared by every worker) rather than in the digests table, which is not
 * indexed by when a digest went out and would need a scan of every row to count them.
 */
export interface SentCounter {
  recordSent(at: Date): Promise<void>
  /** Digests sent on the `days` UTC days up to and including `at`'s. */
  sentInWindow(days: number, at: Date): Promise<number>
}

const DAY_MS = 24 * 3600 * 1000

export function redisSentCounter(redis: Redis, prefix: string): SentCounter {
  const keyOf = (at: Date) => `${prefix}:digests-sent:${at.toISOString().slice(0, 10)}`
  return {
    async recordSent(at) {
      const key = keyOf(at)
      // Kept a little past the longest window anyone would judge over.
      await redis
        .multi()
        .incr(key)
        .expire(key, 40 * 24 * 3600)
        .exec()
    },
    async sentInWindow(days, at) {
      const keys = Array.from({ length: days }, (_, i) =>
        keyOf(new Date(at.getTime() - i * DAY_MS)),
      )
      const values = await redis.mget(...keys)
      return values.reduce((sum, value) => sum + Number(value ?? 0), 0)
    },
  }
}

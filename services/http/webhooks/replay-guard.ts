import type { Redis } from 'ioredis'

/**
 * Remembers ids already seen (a Mailgun token, an SNS MessageId, a SendGrid event id) in
 * Redis, shared by every API process, for `ttlSeconds`.
 */
export interface ReplayGuard {
  /** True the first time `id` is seen; false while it is remembered. */
  first(id: string): Promise<boolean>
  /** The same for many ids, in one round trip: the answers in their order. */
  firstOfMany(ids: readonly string[]): Promise<boolean[]>
  /** Forgets `id`, when what it carried could not be recorded (so a retry is taken). */
  forget(id: string): Promise<void>
}

export function redisReplayGuard(redis: Redis, prefix: string, ttlSeconds: number): ReplayGuard {
  const key = (id: string) => `${prefix}:webhook-seen:${id}`
  return {
    async first(id) {
      return (await redis.set(key(id), '1', 'EX', ttlSeconds, 'NX')) === 'OK'
    },
    async firstOfMany(ids) {
      if (ids.length === 0) return []
      const pipeline = redis.pipeline()
      for (const id of ids) pipeline.set(key(id), '1', 'EX', ttlSeconds, 'NX')
      const answers = (await pipeline.exec()) ?? []
      return answers.map(([error, reply]) => {
        if (error) throw error
        return reply === 'OK'
      })
    },
    async forget(id) {
      await redis.del(key(id))
    },
  }
}

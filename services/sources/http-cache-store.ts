import type { Redis } from 'ioredis'
import type { HttpCache } from './fetch.js'

/** Where conditional-request validators live between runs; any process may fetch next time. */
export interface HttpCacheStore {
  get(url: string): Promise<HttpCache | null>
  set(url: string, cache: HttpCache): Promise<void>
}

const THIRTY_DAYS_S = 30 * 24 * 3600

export function redisHttpCache(redis: Redis, prefix: string): HttpCacheStore {
  const key = (url: string) => `${prefix}:http-cache:${url}`
  return {
    async get(url) {
      const raw = await redis.get(key(url))
      return raw ? (JSON.parse(raw) as HttpCache) : null
    },
    async set(url, cache) {
      if (!cache.etag && !cache.lastModified) return
      await redis.set(key(url), JSON.stringify(cache), 'EX', THIRTY_DAYS_S)
    },
  }
}

import { Redis } from 'ioredis'

/**
 * BullMQ wants two kinds of connection: producers that fail fast when Redis is away (an
 * HTTP request should get an error, not hang), and workers that wait for it forever.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5_000,
    lazyConnect: false,
  })
}

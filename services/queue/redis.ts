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
  })
}

/** A fail-fast connection refuses commands until it is connected, so start-up waits for it. */
export async function waitUntilReady(redis: Redis, url: string, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return
  await new Promise<void>((resolve, reject) => {
    let lastError = ''
    const onError = (error: Error) => {
      lastError = error.message
    }
    const timer = setTimeout(() => {
      redis.off('ready', onReady)
      redis.off('error', onError)
      reject(
        new Error(
          `cannot reach Redis at ${redactUrl(url)} (${lastError || 'no answer'}); set REDIS_URL or start redis-server`,
        ),
      )
    }, timeoutMs)
    const onReady = () => {
      clearTimeout(timer)
      redis.off('error', onError)
      resolve()
    }
    redis.once('ready', onReady)
    redis.on('error', onError)
  })
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url
  }
}

import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { answers, ensureLocalRedis, isLocalUrl } from '../../../services/embedded-redis.js'
import { startTestRuntime } from '../../helpers/runtime.js'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('a private Redis for the quick start', () => {
  it('starts one under DATA_DIR when nothing answers at REDIS_URL, and stops it with the app', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`
    expect(await answers(url)).toBe(false)
    const runtime = await startTestRuntime({ env: { REDIS_URL: url }, startRedisIfMissing: true })
    try {
      expect(await answers(url)).toBe(true)
      const ready = await runtime.app?.inject({ url: '/readyz' })
      expect(ready?.json()).toMatchObject({ status: 'ready' })
    } finally {
      await runtime.close()
    }
    expect(await answers(url)).toBe(false)
  }, 60_000)

  it('leaves a Redis that answers alone, and would only ever start one on this machine', async () => {
    expect(await ensureLocalRedis('redis://127.0.0.1:6379', '/tmp')).toBeUndefined()
    expect(isLocalUrl('redis://127.0.0.1:6379')).toBe(true)
    expect(isLocalUrl('redis://localhost:6380')).toBe(true)
    expect(isLocalUrl('redis://[::1]:6379')).toBe(true)
    expect(isLocalUrl('redis://redis:6379')).toBe(false)
    expect(isLocalUrl('rediss://cache.example.org:6380')).toBe(false)
  }, 20_000)
})

import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { ConfigError } from './config.js'
import { redactUrl } from './queue/redis.js'

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

/**
 * The newcomer's Redis: when nothing answers at REDIS_URL, the URL points at this machine and
 * a `redis-server` binary is installed, start a private one (data under DATA_DIR, stopped with
 * the app). Returns the function that stops it, or undefined when Redis was already there.
 */
export async function ensureLocalRedis(
  url: string,
  dataDir: string,
): Promise<(() => Promise<void>) | undefined> {
  if (await answers(url)) return undefined
  const parsed = new URL(url)
  const where = redactUrl(url)
  if (!isLocalUrl(url)) {
    throw new ConfigError(`REDIS_URL: nothing answers at ${where}`)
  }
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    throw new ConfigError(
      `REDIS_URL: nothing answers at ${where} and redis-server is not installed; install Redis (apt-get install redis-server, brew install redis) or point REDIS_URL at one`,
    )
  }
  const dir = join(resolve(dataDir), 'redis')
  mkdirSync(dir, { recursive: true })
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      parsed.port || '6379',
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      // BullMQ must never lose a key to eviction.
      '--maxmemory-policy',
      'noeviction',
      ...(parsed.password ? ['--requirepass', decodeURIComponent(parsed.password)] : []),
    ],
    { stdio: 'ignore' },
  )
  const deadline = Date.now() + 10_000
  while (!(await answers(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill()
      throw new ConfigError(`REDIS_URL: could not start a private redis-server for ${where}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  }
}

/** Only a Redis on this machine may be started for the app; a remote one is the operator's. */
export function isLocalUrl(url: string): boolean {
  return LOCAL_HOSTS.has(new URL(url).hostname)
}

/** Whether a Redis at `url` answers PING within a second. */
export async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

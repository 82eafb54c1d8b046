import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { loadConfig } from '../../services/config.js'
import type { Logger } from '../../services/logger.js'
import type { RetryPolicy } from '../../services/queue/queues.js'
import type { Role } from '../../services/roles.js'
import { type Runtime, startRuntime } from '../../services/runtime.js'

export const TEST_REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
export const TEST_SECRET = 'test-secret-that-is-long-enough-to-pass-validation'

export interface TestRuntimeOptions {
  readonly env?: Record<string, string | undefined>
  readonly role?: Role
  readonly now?: () => Date
  readonly mailRetry?: RetryPolicy
  readonly lockDurationMs?: number
  readonly startRedisIfMissing?: boolean
  /** Where the runtime logs; silent unless TEST_LOG_LEVEL says otherwise. */
  readonly logger?: Logger
}

/** A unique BullMQ prefix per test file keeps queues (and rate-limit keys) apart on the shared Redis. */
export function uniquePrefix(label: string): string {
  return `pbtest-${label}-${randomBytes(4).toString('hex')}`
}

export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<Runtime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'paperboy-test-'))
  const config = loadConfig({
    PUBLIC_URL: 'http://paperboy.test',
    REDIS_URL: TEST_REDIS,
    APP_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    QUEUE_PREFIX: uniquePrefix('run'),
    SUBSCRIBE_RATE_LIMIT: '1000',
    LOG_LEVEL: 'silent',
    ...options.env,
  })
  return startRuntime({
    config,
    role: options.role ?? 'all',
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    listen: false,
    ...(options.now ? { now: options.now } : {}),
    mailRetry: options.mailRetry ?? { attempts: 3, backoffMs: 200 },
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.startRedisIfMissing ? { startRedisIfMissing: true } : {}),
  })
}

/** Removes every key a test prefix left in Redis. */
export async function clearPrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS)
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.quit()
  }
}

/** The path and query of a link from an email, for app.inject(). */
export function pathOf(link: string): string {
  const url = new URL(link)
  return `${url.pathname}${url.search}`
}

/** Every http(s) link in a text part. */
export function linksIn(text: string | undefined): string[] {
  return [...(text ?? '').matchAll(/https?:\/\/[^\s<>"\])]+/g)].map((m) => m[0])
}

/** Polls until `check` returns something truthy, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

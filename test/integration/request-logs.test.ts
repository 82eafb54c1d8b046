import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confirmSubscriber, subscribe } from '../../services/db/repositories/subscribers.js'
import { signToken, type TokenPurpose } from '../../services/domain/tokens.js'
import { createLogger } from '../../services/logger.js'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, startTestRuntime, TEST_SECRET } from '../helpers/runtime.js'

// Signed links never expire until revoked: whoever reads the logs must not be able to use them.

let database: TestDatabase
let runtime: Runtime
const lines: string[] = []
const now = new Date('2026-11-28T09:00:00Z')

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

beforeAll(async () => {
  database = await createTestDatabase('request_logs')
  runtime = await startTestRuntime({
    env: database.env,
    now: () => now,
    logger: createLogger('info', { destination: { write: (line: string) => lines.push(line) } }),
  })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await database?.drop()
})

describe('request logs', () => {
  it('never contain a signed link, whatever the route, the answer or the error', async () => {
    const db = runtime.database.db
    const { subscriberId } = await subscribe(
      db,
      'logged@example.org',
      {
        topics: [],
        interests: ['diffusion'],
        frequency: 'daily',
        weekday: 'mon',
        hour: 8,
        timezone: 'UTC',
      },
      now,
    )
    await confirmSubscriber(db, subscriberId, now)
    const token = (purpose: TokenPurpose) =>
      signToken(TEST_SECRET, { purpose, subscriberId, version: 1 }, now)
    const tokens = (['confirm', 'preferences', 'unsubscribe', 'digest', 'feed'] as const).map(token)
    const [confirm, preferences, unsubscribe, digest, feed] = tokens
    const html = { accept: 'text/html' }

    const requests = [
      { url: `/confirm?token=${confirm}` },
      { url: `/preferences?token=${preferences}` },
      { url: `/preferences?lang=en&token=${preferences}#top` },
      { url: `/unsubscribe?token=${unsubscribe}` },
      { url: `/digests/1?token=${digest}` },
      { url: `/digests/1?TOKEN=${digest}` },
      { url: `/no-such-page?token=${preferences}` },
      // Feed addresses carry the token in the path.
      { url: `/feeds/${feed}.atom` },
      { url: `/feeds/${feed}.json?utm_source=reader` },
      { url: `/feeds/${feed}` },
      { url: `/feeds/${feed}.xml` },
      { method: 'POST' as const, url: `/feeds/${feed}.rss` },
      { url: `/?next=${encodeURIComponent(`/preferences?token=${preferences}`)}` },
      {
        method: 'POST' as const,
        url: `/preferences?token=${preferences}`,
        headers: { ...html, 'content-type': 'application/json' },
        payload: '{"not json',
      },
      {
        method: 'POST' as const,
        url: `/unsubscribe?token=${unsubscribe}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      },
    ]
    for (const request of requests) {
      await app().inject({ headers: html, ...request })
    }
    // An error that quotes the URL it failed on, logged through the app's own logger.
    app().log.error(
      {
        err: new Error(`GET /digests/1?token=${digest} failed`),
        target: `/preferences?token=${preferences}`,
      },
      `while serving /unsubscribe?token=${unsubscribe}`,
    )

    const log = lines.join('')
    expect(log).toContain('"url":"/preferences?token=[redacted]"')
    expect(log).toContain('"url":"/preferences?lang=en&token=[redacted]"')
    expect(log).toContain('/digests/1?token=[redacted] failed')
    expect(log).toContain('"msg":"while serving /unsubscribe?token=[redacted]"')
    expect(log).toContain('"url":"/feeds/[redacted].atom"')
    for (const signed of tokens) {
      const signature = signed.split('.')[1] ?? ''
      expect(signature.length).toBeGreaterThan(10)
      expect(log).not.toContain(signature)
    }
    // Every request was logged, so the absence above means something.
    expect(lines.filter((line) => line.includes('"incoming request"'))).toHaveLength(
      requests.length,
    )
  })
})

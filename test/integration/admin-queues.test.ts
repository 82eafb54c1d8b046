import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, startTestRuntime } from '../helpers/runtime.js'

const ADMIN_TOKEN = 'admin-token-for-the-queue-dashboard-42'
const BASIC = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`
let database: TestDatabase
let runtime: Runtime

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

beforeAll(async () => {
  database = await createTestDatabase('admin_queues')
  // The test's PUBLIC_URL is http://paperboy.test (test/helpers/runtime.ts).
  runtime = await startTestRuntime({
    env: { ...database.env, ADMIN_TOKEN, INGEST_CRON: 'off' },
  })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await database?.drop()
})

describe('the queue dashboard refuses actions sent from other sites', () => {
  it('refuses a cross-site form post that carries cached Basic credentials', async () => {
    const forged = await app().inject({
      method: 'POST',
      url: '/admin/queues/api/queues/mail/add',
      headers: {
        authorization: BASIC,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      payload: { name: 'forged', data: { kind: 'confirm', subscriberId: 1 } },
    })
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error).toMatch(
      /cross-site request refused: Origin "https:\/\/evil\.example" is not this site \(http:\/\/paperboy\.test/,
    )
    expect(await runtime.queues.mail.getJobCounts('waiting', 'delayed')).toEqual({
      waiting: 0,
      delayed: 0,
    })
  })

  it('refuses by Referer when a browser leaves Origin out, and an opaque "null" Origin', async () => {
    for (const headers of [
      { referer: 'https://evil.example/page.html' },
      { origin: 'null' },
      { referer: 'not a url' },
    ]) {
      const response = await app().inject({
        method: 'PUT',
        url: '/admin/queues/api/queues/pause',
        headers: { authorization: BASIC, ...headers },
      })
      expect(response.statusCode, JSON.stringify(headers)).toBe(403)
    }
    expect(await runtime.queues.mail.isPaused()).toBe(false)
  })

  it("takes actions from the dashboard's own pages, and from programs that send no Origin", async () => {
    const paused = await app().inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/pause',
      headers: { authorization: BASIC, origin: 'http://paperboy.test' },
    })
    expect(paused.statusCode).toBe(200)
    expect(await runtime.queues.mail.isPaused()).toBe(true)
    const resumed = await app().inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/resume',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        referer: 'http://paperboy.test/admin/queues/queue/mail',
      },
    })
    expect(resumed.statusCode).toBe(200)
    expect(await runtime.queues.mail.isPaused()).toBe(false)
    const scripted = await app().inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/resume',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(scripted.statusCode).toBe(200)
  })

  it('still reads from anywhere with the token: GET is not an action', async () => {
    const page = await app().inject({
      url: '/admin/queues/api/queues',
      headers: { authorization: BASIC, origin: 'https://evil.example' },
    })
    expect(page.statusCode).toBe(200)
  })

  it('asks for the token before saying anything about origins', async () => {
    const anonymous = await app().inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/pause',
      headers: { origin: 'https://evil.example' },
    })
    expect(anonymous.statusCode).toBe(401)
  })
})

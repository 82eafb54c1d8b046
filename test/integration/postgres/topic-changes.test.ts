import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js'
import { digestEmails, runDigestsAndWait, subscribeConfirmed } from '../../helpers/flows.js'
import { clearPrefix, eventually, startTestRuntime, uniquePrefix } from '../../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js'

// A topic edited through one process (the API) reaches another (the worker) without a restart:
// the worker's cached topic names are dropped when the change is announced, and its index
// takes the new lines before its next batch. Split roles need a database server.

const ADMIN_TOKEN = 'admin-token-for-topic-changes'
const prefix = uniquePrefix('topic-changes')
const clock = () => new Date('2026-06-12T05:00:00Z')
let database: TestDatabase
let smtp: TestSmtpServer
let api: Runtime
let worker: Runtime

beforeAll(async () => {
  database = await createTestDatabase('topic_changes')
  smtp = await startSmtpServer()
  const env = {
    ...database.env,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    ADMIN_TOKEN,
    INGEST_CRON: 'off',
  }
  // The all-in-one start migrates; the split processes expect it done.
  await (await startTestRuntime({ role: 'all', env, now: clock })).close()
  api = await startTestRuntime({ role: 'api', env, now: clock })
  worker = await startTestRuntime({ role: 'worker', env, now: clock })
})

afterAll(async () => {
  await worker?.close()
  await api?.close()
  await clearPrefix(prefix)
  await smtp?.close()
  await database?.drop()
})

const appOf = (runtime: Runtime) => {
  if (!runtime.app) throw new Error('no HTTP app')
  return runtime.app
}
const asAdmin = { authorization: `Bearer ${ADMIN_TOKEN}` }

async function storePaper(id: string, title: string): Promise<void> {
  const response = await appOf(api).inject({
    method: 'POST',
    url: '/api/papers',
    headers: asAdmin,
    payload: {
      papers: [{ id, title, abstract: `${title}.`, authors: ['A. Author'], categories: ['cs.RO'] }],
    },
  })
  expect(response.json()).toMatchObject({ new: 1 })
}

describe('a topic edited in the API process', () => {
  it('is named and matched by the new definition in the worker process at once', async () => {
    // The confirmation email, sent by the worker, names the topic: its names are cached now.
    await subscribeConfirmed(api, smtp, 'rae@example.org', { topics: ['robotics'] })
    expect(smtp.to('rae@example.org')[0]?.parsed.text).toContain('Robotics')

    const edited = await appOf(api).inject({
      method: 'PATCH',
      url: '/api/admin/topics/robotics',
      headers: asAdmin,
      payload: { name: 'Robots & drones', interests: ['drone swarm*'] },
    })
    expect(edited.statusCode).toBe(200)

    await storePaper('2606.80001', 'Drone swarms that map caves')
    await eventually('the worker to match the paper', async () => {
      const ids = await runDigestsAndWait(api, clock, { now: true, email: 'rae@example.org' })
      return ids.length > 0
    })
    const [digest] = digestEmails(smtp, 'rae@example.org')
    expect(digest?.parsed.text).toContain('Drone swarms that map caves')
    expect(digest?.parsed.text).toContain('Robots & drones')
    expect(digest?.parsed.text).not.toMatch(/\bRobotics\b/)
  }, 60_000)
})

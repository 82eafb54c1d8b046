import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queues } from '../../../services/queue/queues.js'
import type { Runtime } from '../../../services/runtime.js'
import { INGEST_SCHEDULER_ID } from '../../../services/scheduler.js'
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js'
import { clearPrefix, startTestRuntime, uniquePrefix } from '../../helpers/runtime.js'

// `serve --role scheduler` beside a running API: split roles need a database server.

let database: TestDatabase
let api: Runtime
const prefix = uniquePrefix('scheduler')
const schedulersOf = (queues: Queues) => queues.ingest.getJobSchedulers()

beforeAll(async () => {
  database = await createTestDatabase('scheduler')
  api = await startTestRuntime({ role: 'all', env: { ...database.env, QUEUE_PREFIX: prefix } })
  await api.close()
  api = await startTestRuntime({ role: 'api', env: { ...database.env, QUEUE_PREFIX: prefix } })
})

afterAll(async () => {
  await api?.close()
  await clearPrefix(prefix)
  await database?.drop()
})

describe('scheduled ingestion', () => {
  it('registers one schedule however often the scheduler starts, and follows INGEST_CRON', async () => {
    const env = { ...database.env, QUEUE_PREFIX: prefix }
    for (let i = 0; i < 3; i++) {
      const scheduler = await startTestRuntime({
        role: 'scheduler',
        env: { ...env, INGEST_CRON: '0 6 * * *' },
      })
      await scheduler.close()
    }
    let schedulers = await schedulersOf(api.queues)
    expect(schedulers.map((s) => [s.key, s.pattern])).toEqual([[INGEST_SCHEDULER_ID, '0 6 * * *']])

    const changed = await startTestRuntime({
      role: 'scheduler',
      env: { ...env, INGEST_CRON: '30 5 * * 1-5', INGEST_SOURCES: 'hf-daily,arxiv-rss:cs.AI' },
    })
    await changed.close()
    schedulers = await schedulersOf(api.queues)
    expect(schedulers.map((s) => [s.key, s.pattern])).toEqual([
      [INGEST_SCHEDULER_ID, '30 5 * * 1-5'],
    ])
    expect(schedulers[0]?.template?.data).toEqual({ sources: ['hf-daily', 'arxiv-rss:cs.AI'] })

    const off = await startTestRuntime({ role: 'scheduler', env: { ...env, INGEST_CRON: 'off' } })
    await off.close()
    expect(await schedulersOf(api.queues)).toEqual([])
  })
})

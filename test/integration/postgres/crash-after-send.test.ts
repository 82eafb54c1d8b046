import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findSubscriberIdByEmail } from '../../../services/db/repositories/subscribers.js'
import { digests, lineMatches } from '../../../services/db/schema/index.js'
import type { Runtime } from '../../../services/runtime.js'
import { runDigests } from '../../../services/usecases/run-digests.js'
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js'
import { followConfirmLink } from '../../helpers/flows.js'
import {
  clearPrefix,
  eventually,
  linksIn,
  startTestRuntime,
  TEST_REDIS,
  TEST_SECRET,
  uniquePrefix,
} from '../../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js'

const ADMIN_TOKEN = 'admin-token-for-crash-tests-12345'
const prefix = uniquePrefix('crash')
let database: TestDatabase
let smtp: TestSmtpServer
let api: Runtime

beforeAll(async () => {
  database = await createTestDatabase('crash')
  smtp = await startSmtpServer()
  const env = {
    ...database.env,
    SMTP_URL: smtp.url,
    ADMIN_TOKEN,
    QUEUE_PREFIX: prefix,
    INGEST_CRON: 'off',
  }
  // Migrate, subscribe, confirm and match with a full runtime; then keep only the API.
  const all = await startTestRuntime({ env })
  const app = all.app
  if (!app) throw new Error('no app')
  await app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { email: 'crash@example.org', interests: ['crash'] },
  })
  await smtp.waitFor(1)
  const confirm = linksIn(smtp.received[0]?.parsed.text).find((l) => l.includes('/confirm?token='))
  expect((await followConfirmLink(app, confirm ?? '')).statusCode).toBe(200)
  await app.inject({
    method: 'POST',
    url: '/api/papers',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      papers: [
        {
          id: '2605.00001',
          title: 'Crash consistency in mail systems',
          abstract: 'What a crash does.',
        },
      ],
    }),
  })
  await eventually(
    'the match',
    async () => (await all.database.db.select().from(lineMatches)).length === 1,
  )
  await all.close()
  api = await startTestRuntime({ env, role: 'api' })
}, 60_000)

afterAll(async () => {
  await api?.close()
  await clearPrefix(prefix)
  await smtp?.close()
  await database?.drop()
})

describe('a worker killed after SMTP accepted the digest', () => {
  it('never sends that period twice: the retry finds the digest mid-send and marks it uncertain', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('../../helpers/crash-after-send.ts', import.meta.url)),
      ],
      {
        env: {
          ...process.env,
          ...database.env,
          SMTP_URL: smtp.url,
          REDIS_URL: TEST_REDIS,
          QUEUE_PREFIX: prefix,
          APP_SECRET: TEST_SECRET,
          INGEST_CRON: 'off',
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    const exited = new Promise<string | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    )
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))

    const before = smtp.received.length
    const [jobId] = await runDigests(
      { db: api.database.db, queues: api.queues, now: () => new Date() },
      { now: true },
    )
    expect(jobId).toBeDefined()
    expect(await exited).toBe('SIGKILL')
    expect(smtp.received.length).toBe(before + 1)
    const id = await findSubscriberIdByEmail(api.database.db, 'crash@example.org')
    const [midSend] = await api.database.db
      .select()
      .from(digests)
      .where(eq(digests.subscriberId, id ?? 0))
    expect(midSend?.status).toBe('sending')

    // A healthy worker picks the stalled job up once the dead worker's lock expires.
    const worker = await startTestRuntime({
      env: {
        ...database.env,
        SMTP_URL: smtp.url,
        QUEUE_PREFIX: prefix,
        INGEST_CRON: 'off',
      },
      role: 'worker',
      lockDurationMs: 1_000,
    })
    try {
      const settled = await eventually(
        'the stalled digest to be settled',
        async () => {
          const [row] = await api.database.db
            .select()
            .from(digests)
            .where(eq(digests.id, midSend?.id ?? 0))
          return row?.status !== 'sending' ? row : undefined
        },
        // BullMQ notices the dead worker's job only after its stalled-job check has run twice.
        75_000,
      )
      expect(settled.status).toBe('uncertain')
      expect(smtp.received.length).toBe(before + 1)
      // The papers stay delivered (attached to that digest): the next digest does not repeat them.
      expect(
        await runDigests(
          { db: api.database.db, queues: api.queues, now: () => new Date() },
          { now: true },
        ),
      ).toEqual([])
    } finally {
      await worker.close()
    }
  }, 120_000)
})

import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  confirmSubscriber,
  findSubscriberIdByEmail,
  releaseConfirmationSlot,
  subscribe,
} from '../../services/db/repositories/subscribers.js'
import { subscribers } from '../../services/db/schema/index.js'
import { DEFAULT_PREFERENCES } from '../../services/domain/preferences.js'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, eventually, startTestRuntime } from '../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'

// Abuse of the subscribe routes: one client's request budget, and what the answer's timing
// tells a stranger about an address.

let database: TestDatabase
let smtp: TestSmtpServer
let runtime: Runtime

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

/** What a person sends from the form: a few topics and interest lines, as in the README. */
const REQUEST = {
  topics: ['ai-safety', 'robotics'],
  interests: ['"large language models" AND safety', 'unlearn*', 'category:cs.LG'],
  frequency: 'weekly',
  weekday: 'fri',
  hour: 7,
  timezone: 'Europe/Paris',
} as const

beforeAll(async () => {
  database = await createTestDatabase('subscribe_abuse')
  smtp = await startSmtpServer()
  runtime = await startTestRuntime({
    env: { ...database.env, SMTP_URL: smtp.url, SUBSCRIBE_RATE_LIMIT: '3', INGEST_CRON: 'off' },
  })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await smtp?.close()
  await database?.drop()
})

function postApi(email: string, ip: string) {
  return app().inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { email, ...REQUEST },
    remoteAddress: ip,
  })
}

function postForm(email: string, ip: string) {
  const params = new URLSearchParams({ email, frequency: 'daily', hour: '8', timezone: 'UTC' })
  return app().inject({
    method: 'POST',
    url: '/subscribe',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: params.toString(),
    remoteAddress: ip,
  })
}

describe('one per-IP budget for both subscribe routes (SUBSCRIBE_RATE_LIMIT)', () => {
  it('counts the form and the JSON API together', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const email = `budget-${i}@example.org`
      const response =
        i % 2 === 0 ? await postApi(email, '203.0.113.9') : await postForm(email, '203.0.113.9')
      statuses.push(response.statusCode)
    }
    expect(statuses).toEqual([202, 200, 202, 429, 429, 429])
    expect((await postForm('budget-other@example.org', '198.51.100.9')).statusCode).toBe(200)
  })
})

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

async function timed(send: () => Promise<{ statusCode: number }>): Promise<number> {
  const start = process.hrtime.bigint()
  const response = await send()
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6
  expect(response.statusCode).toBe(202)
  return elapsed
}

describe('subscribing answers alike whether or not the address is already subscribed', () => {
  const SAMPLES = 100

  it('does the same work, and takes as long, for a new and an active address', async () => {
    const db = runtime.database.db
    const now = new Date()
    const active = Array.from({ length: SAMPLES }, (_, i) => `active-${i}@example.org`)
    const fresh = Array.from({ length: SAMPLES }, (_, i) => `new-${i}@example.org`)
    for (const email of active) {
      const preferences = { ...DEFAULT_PREFERENCES, ...REQUEST }
      const { subscriberId, slot } = await subscribe(db, email, preferences, now)
      await confirmSubscriber(db, subscriberId, now)
      // Confirmed long ago, as far as the once-per-10-minutes email limit is concerned.
      if (slot) await releaseConfirmationSlot(db, subscriberId, slot)
    }
    // With the mail queue idle, then paused, nothing runs behind the requests: what is
    // measured and inspected is the request alone.
    await eventually('the mail queue to be idle', async () => {
      const counts = await runtime.queues.mail.getJobCounts('waiting', 'active', 'delayed')
      return Object.values(counts).every((n) => n === 0)
    })
    await runtime.queues.mail.pause()
    const before = await subscriberRows()
    try {
      // Warm up both paths (JIT, prepared statements, pools) before measuring.
      for (let i = 0; i < 5; i++) {
        await timed(() => postApi(`warm-new-${i}@example.org`, `192.0.2.${i + 1}`))
        await timed(() => postApi(active[i] as string, `192.0.2.${i + 101}`))
      }
      await runtime.queues.mail.drain()
      const newTimes: number[] = []
      const activeTimes: number[] = []
      // Interleaved, in pairs whose order is drawn at random, so that a noisy neighbour or a
      // garbage collection hits both kinds alike and neither gains from going first.
      for (let i = 0; i < SAMPLES; i++) {
        const sendNew = async () =>
          newTimes.push(await timed(() => postApi(fresh[i] as string, `10.1.${i}.1`)))
        const sendActive = async () =>
          activeTimes.push(await timed(() => postApi(active[i] as string, `10.2.${i}.1`)))
        if (Math.random() < 0.5) {
          await sendNew()
          await sendActive()
        } else {
          await sendActive()
          await sendNew()
        }
      }

      // The structure: the request wrote nothing to the database and queued one job of the
      // same kind and shape whatever the address; the job decides.
      expect(await subscriberRows()).toEqual(before)
      const jobs = await runtime.queues.mail.getJobs(['waiting'])
      expect(jobs).toHaveLength(2 * SAMPLES)
      const shapes = new Set(
        jobs.map((job) => `${job.name} ${Object.keys(job.data).sort().join(',')}`),
      )
      expect([...shapes]).toHaveLength(1)

      // The timing: each median within 40% of the other. Before the decision moved into the
      // job, new addresses took 1.65 to 2.1 times as long as active ones in this test.
      const ratio = median(newTimes) / median(activeTimes)
      const medians = `median ${median(newTimes).toFixed(2)} ms for new addresses, ${median(activeTimes).toFixed(2)} ms for active ones`
      expect(ratio, medians).toBeLessThan(1.4)
      expect(ratio, medians).toBeGreaterThan(1 / 1.4)
    } finally {
      await runtime.queues.mail.resume()
    }

    // And each address gets what it should: a confirmation for the new, a note for the active.
    await eventually(
      'every email',
      async () => [...fresh, ...active].every((email) => smtp.to(email).length === 1),
      60_000,
    )
    expect(smtp.to(fresh[0] as string)[0]?.parsed.subject).toMatch(/confirm/i)
    expect(smtp.to(active[0] as string)[0]?.parsed.subject).toMatch(/already get/i)
    expect(await findSubscriberIdByEmail(db, fresh[0] as string)).toBeDefined()
  })
})

async function subscriberRows(): Promise<number> {
  const [row] = await runtime.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscribers)
  return Number(row?.n)
}

import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../services/db/client.js'
import { seedTopics } from '../../../services/db/repositories/topics.js'
import { SEED_TOPICS } from '../../../services/domain/seed-topics.js'
import { toCommandSource } from '../../../services/jobs/run-command.js'
import type { Runtime } from '../../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../../helpers/database.js'
import { readFixture } from '../../helpers/fixtures.js'
import { matchingFinished, runDigestsAndWait, subscribeConfirmed } from '../../helpers/flows.js'
import { metricNames, sampleValue } from '../../helpers/prometheus.js'
import {
  clearPrefix,
  eventually,
  startTestRuntime,
  type TestRuntimeOptions,
  uniquePrefix,
} from '../../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp.js'

const ADMIN_TOKEN = 'admin-token-for-role-metrics-12345'
const METRICS_TOKEN = 'metrics-token-for-role-metrics-1'
const EMAIL = 'metrics@example.org'

let database: TestDatabase
let smtp: TestSmtpServer
const started: Runtime[] = []

/** A runtime of this file, stopped (and its keys removed) after the file's tests. */
async function start(options: TestRuntimeOptions): Promise<Runtime> {
  const runtime = await startTestRuntime({
    ...options,
    env: { ...database.env, INGEST_CRON: 'off', ...options.env },
  })
  started.push(runtime)
  return runtime
}

async function scrape(address: string | undefined, token?: string): Promise<Response> {
  if (!address) throw new Error('no metrics listener was started')
  return fetch(`${address}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })
}

beforeAll(async () => {
  database = await createTestDatabase('role_metrics')
  // Split roles expect `paperboy migrate` to have run.
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
  await handle.migrate()
  await seedTopics(handle.db, SEED_TOPICS)
  await handle.close()
  smtp = await startSmtpServer()
})

afterAll(async () => {
  for (const runtime of started.reverse()) {
    await runtime.close()
    await clearPrefix(runtime.config.queuePrefix)
  }
  await smtp?.close()
  await database?.drop()
})

describe('each role exposes its own metrics (api, worker and scheduler as separate processes)', () => {
  let api: Runtime
  let worker: Runtime
  let scheduler: Runtime

  beforeAll(async () => {
    const shared = {
      SMTP_URL: smtp.url,
      QUEUE_PREFIX: uniquePrefix('roles'),
      ADMIN_TOKEN,
      METRICS_TOKEN,
    }
    const metricsListener = { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' }
    api = await start({ role: 'api', env: shared })
    worker = await start({ role: 'worker', env: { ...shared, ...metricsListener } })
    scheduler = await start({ role: 'scheduler', env: { ...shared, ...metricsListener } })
  })

  it("a worker's /metrics carries what it did: mail sent, SMTP latency, job durations, papers its ingest job stored", async () => {
    await subscribeConfirmed(api, smtp, EMAIL, { interests: ['diffusion'] })
    // What `paperboy ingest --file` hands to a server: run by the worker, counted there.
    const job = await api.queues.commands.add('ingest', {
      command: 'ingest',
      source: toCommandSource({
        kind: 'body',
        body: readFixture('hf-daily-papers-2026-06-12.json'),
        label: 'fixture',
      }),
      deliver: true,
    })
    await eventually('the ingest command to finish', async () =>
      job.id ? api.queues.commands.getJob(job.id).then((j) => j?.isCompleted()) : false,
    )
    await matchingFinished(api)
    expect(await runDigestsAndWait(api, () => new Date(), { now: true })).toHaveLength(1)

    const response = await scrape(worker.metricsAddress, METRICS_TOKEN)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    const worker_ = { role: 'worker' }
    expect(sampleValue(text, 'paperboy_papers_ingested_total', { ...worker_, kind: 'new' })).toBe(
      30,
    )
    expect(sampleValue(text, 'paperboy_digests_total', { ...worker_, result: 'sent' })).toBe(1)
    // The confirmation and the digest.
    expect(
      sampleValue(text, 'paperboy_smtp_send_duration_seconds_count', {
        ...worker_,
        outcome: 'accepted',
      }),
    ).toBe(2)
    for (const queue of ['mail', 'match', 'commands']) {
      expect(
        sampleValue(text, 'paperboy_job_duration_seconds_count', {
          ...worker_,
          queue,
          outcome: 'completed',
        }),
        `completed ${queue} jobs`,
      ).toBeGreaterThan(0)
    }
    expect(sampleValue(text, 'paperboy_matches_total', worker_)).toBeGreaterThan(0)
    expect(sampleValue(text, 'process_cpu_seconds_total', worker_)).toBeGreaterThan(0)
    expect(metricNames(text)).toContain('nodejs_heap_size_used_bytes')
    expect(text).not.toMatch(/process_process|paperboy_process_/)
    // Only the api serves requests.
    expect(sampleValue(text, 'paperboy_http_request_duration_seconds_count')).toBeUndefined()
  })

  it("the scheduler's /metrics: its process and the shared queues", async () => {
    const text = await (await scrape(scheduler.metricsAddress, METRICS_TOKEN)).text()
    const scheduler_ = { role: 'scheduler' }
    expect(sampleValue(text, 'process_cpu_seconds_total', scheduler_)).toBeGreaterThan(0)
    expect(
      sampleValue(text, 'paperboy_queue_jobs', { ...scheduler_, queue: 'tick', state: 'delayed' }),
    ).toBeGreaterThanOrEqual(0)
    expect(text).not.toMatch(/process_process|paperboy_process_/)
  })

  it("the api's /metrics, on its main port: request latency by route, behind METRICS_TOKEN or ADMIN_TOKEN", async () => {
    const app = api.app
    if (!app) throw new Error('the api role has no HTTP app')
    expect(api.metricsAddress).toBeUndefined()
    const scrapeMain = (token?: string) =>
      app.inject({ url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} })
    expect((await scrapeMain()).statusCode).toBe(401)
    expect((await scrapeMain('not-the-metrics-token-at-all')).statusCode).toBe(401)
    expect((await scrapeMain(ADMIN_TOKEN)).statusCode).toBe(200)
    const text = (await scrapeMain(METRICS_TOKEN)).body
    expect(
      sampleValue(text, 'paperboy_http_request_duration_seconds_count', {
        role: 'api',
        method: 'POST',
        route: '/api/subscriptions',
        status: '202',
      }),
    ).toBe(1)
  })

  it('the metrics port wants METRICS_TOKEN for /metrics (not ADMIN_TOKEN) and answers /healthz without one', async () => {
    expect((await scrape(worker.metricsAddress)).status).toBe(401)
    expect((await scrape(worker.metricsAddress, ADMIN_TOKEN)).status).toBe(401)
    const health = await fetch(`${worker.metricsAddress}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })
    expect((await fetch(`${worker.metricsAddress}/api/topics`)).status).toBe(404)
  })

  it('refuses a METRICS_PORT already in use with one line naming it', async () => {
    const port = new URL(worker.metricsAddress ?? '').port
    await expect(
      start({ role: 'scheduler', env: { METRICS_PORT: port, METRICS_HOST: '127.0.0.1' } }),
    ).rejects.toThrow(
      new RegExp(`^METRICS_PORT: port ${port} on 127\\.0\\.0\\.1 is already in use`),
    )
  })
})

describe('who may read /metrics on the main port', () => {
  const mainPortStatus = async (env: Record<string, string>, token?: string) => {
    const runtime = await start({ role: 'api', env })
    const response = await runtime.app?.inject({
      url: '/metrics',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return response?.statusCode
  }

  it('everyone in development when no token is set', async () => {
    expect(await mainPortStatus({})).toBe(200)
  })

  it('no one under NODE_ENV=production when no token is set: metrics then live on METRICS_PORT', async () => {
    const production = { NODE_ENV: 'production' }
    expect(await mainPortStatus(production)).toBe(404)
    const runtime = await start({
      role: 'api',
      env: { ...production, METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' },
    })
    expect((await runtime.app?.inject({ url: '/metrics' }))?.statusCode).toBe(404)
    const response = await scrape(runtime.metricsAddress)
    expect(response.status).toBe(200)
    expect(
      sampleValue(await response.text(), 'process_cpu_seconds_total', { role: 'api' }),
    ).toBeGreaterThan(0)
  })

  it('the admin when only ADMIN_TOKEN is set, in production too', async () => {
    const env = { NODE_ENV: 'production', ADMIN_TOKEN }
    expect(await mainPortStatus(env)).toBe(401)
    expect(await mainPortStatus(env, 'wrong-token-wrong-token')).toBe(401)
    expect(await mainPortStatus(env, ADMIN_TOKEN)).toBe(200)
  })
})

describe('worker and scheduler processes without METRICS_PORT', () => {
  it('say in one info line that their metrics are not exposed, and how to expose them', async () => {
    const lines: { level: number; msg: string }[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)))
        done()
      },
    })
    await start({ role: 'scheduler', logger: pino({ level: 'info' }, sink) })
    const notice = lines.filter((l) => l.msg.includes('METRICS_PORT'))
    expect(notice).toHaveLength(1)
    expect(notice[0]?.level).toBe(30)
    expect(notice[0]?.msg).toMatch(/metrics are not exposed; set METRICS_PORT/)
  })
})

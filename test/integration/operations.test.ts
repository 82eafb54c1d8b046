import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { sampleValue } from '../helpers/prometheus.js'
import { clearPrefix, startTestRuntime } from '../helpers/runtime.js'

const ADMIN_TOKEN = 'admin-token-for-operations-1234567'
let database: TestDatabase
let runtime: Runtime

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

beforeAll(async () => {
  database = await createTestDatabase('operations')
  runtime = await startTestRuntime({
    env: { ...database.env, ADMIN_TOKEN, INGEST_CRON: 'off' },
  })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await database?.drop()
})

describe('operator interfaces', () => {
  it('serves Prometheus metrics: request latency by route, queue depths, delivery counters', async () => {
    await app().inject({ url: '/api/topics' })
    // With ADMIN_TOKEN set (and no METRICS_TOKEN), /metrics wants the admin token.
    expect((await app().inject({ url: '/metrics' })).statusCode).toBe(401)
    const response = await app().inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/plain')
    expect(
      sampleValue(response.body, 'paperboy_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/topics',
        status: '200',
      }),
    ).toBe(1)
    expect(
      sampleValue(response.body, 'paperboy_queue_jobs', { queue: 'mail', state: 'waiting' }),
    ).toBeGreaterThanOrEqual(0)
    for (const name of [
      'paperboy_papers_ingested_total',
      'paperboy_matches_total',
      'paperboy_digests_total',
      'paperboy_smtp_send_duration_seconds',
      'paperboy_job_duration_seconds',
    ]) {
      expect(response.body).toContain(`# TYPE ${name}`)
    }
    // Node.js's own series under the names dashboards expect, each tagged with the role.
    expect(response.body).toMatch(/^process_cpu_seconds_total\{role="all"\} /m)
    expect(response.body).toContain('# TYPE nodejs_eventloop_lag_seconds')
    expect(response.body).not.toMatch(/process_process|paperboy_process_/)
  })

  it('documents the JSON API as OpenAPI, browsable at /docs', async () => {
    const spec = (await app().inject({ url: '/docs/json' })).json()
    expect(spec.openapi).toMatch(/^3\./)
    expect(Object.keys(spec.paths).sort()).toEqual(
      [
        '/api/admin/topics',
        '/api/admin/topics/{slug}',
        '/api/admin/topics/{slug}/retire',
        '/api/papers',
        '/api/preview',
        '/api/subscriptions',
        '/api/topics',
        '/healthz',
        '/readyz',
      ].sort(),
    )
    expect(
      spec.paths['/api/subscriptions'].post.requestBody.content['application/json'].schema
        .properties.email,
    ).toBeDefined()
    const ui = await app().inject({ url: '/docs/' })
    expect(ui.statusCode).toBe(200)
    expect(ui.headers['content-type']).toContain('text/html')
  })

  it('documents exactly the query limits the API enforces, and refuses values past them by field', async () => {
    const spec = (await app().inject({ url: '/docs/json' })).json()
    const parameter = (path: string, method: string, name: string) =>
      spec.paths[path][method].parameters.find((p: { name: string }) => p.name === name).schema
    const limits = [
      { url: '/api/papers', field: 'limit', schema: parameter('/api/papers', 'get', 'limit') },
      { url: '/api/preview?q=x', field: 'days', schema: parameter('/api/preview', 'get', 'days') },
    ]
    expect(limits.map(({ schema }) => [schema.minimum, schema.maximum])).toEqual([
      [1, 1000],
      [1, 90],
    ])
    for (const { url, field, schema } of limits) {
      const join = url.includes('?') ? '&' : '?'
      for (const edge of [schema.minimum, schema.maximum]) {
        expect((await app().inject({ url: `${url}${join}${field}=${edge}` })).statusCode).toBe(200)
      }
      for (const past of [schema.minimum - 1, schema.maximum + 1, 2.5, 'many']) {
        const refused = await app().inject({ url: `${url}${join}${field}=${past}` })
        expect(refused.statusCode).toBe(400)
        expect(refused.json()).toEqual({
          error: 'invalid request',
          details: {
            [field]: `must be a whole number from ${schema.minimum} to ${schema.maximum}`,
          },
        })
      }
    }

    expect(parameter('/api/papers', 'post', 'deliver').enum).toEqual(['true', 'false'])
    const ingest = (deliver: string) =>
      app().inject({
        method: 'POST',
        url: `/api/papers?deliver=${deliver}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        payload: { papers: [] },
      })
    expect((await ingest('false')).statusCode).toBe(200)
    const maybe = await ingest('maybe')
    expect(maybe.statusCode).toBe(400)
    expect(maybe.json().details).toEqual({ deliver: 'must be true or false' })

    expect(parameter('/api/papers', 'get', 'since').format).toBe('date-time')
    const dateOnly = await app().inject({ url: '/api/papers?since=2026-06-12' })
    expect(dateOnly.json().details).toEqual({
      since: 'must be an ISO time such as 2026-06-12T00:00:00Z',
    })
  })

  it('shows the queue dashboard only with the admin token', async () => {
    expect((await app().inject({ url: '/admin/queues' })).statusCode).toBe(401)
    const wrong = Buffer.from('admin:nope').toString('base64')
    expect(
      (await app().inject({ url: '/admin/queues', headers: { authorization: `Basic ${wrong}` } }))
        .statusCode,
    ).toBe(401)
    const right = Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')
    const page = await app().inject({
      url: '/admin/queues',
      headers: { authorization: `Basic ${right}` },
    })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Paperboy queues')
    const api = await app().inject({
      url: '/admin/queues/api/queues',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(api.statusCode).toBe(200)
    expect(
      api
        .json()
        .queues.map((q: { name: string }) => q.name)
        .sort(),
    ).toEqual(['commands', 'ingest', 'mail', 'match', 'tick'])
  })

  it("never serves the dev outbox in production, where it would list everyone's signed links", async () => {
    const own = await createTestDatabase('operations_production')
    const production = await startTestRuntime({
      env: { ...own.env, NODE_ENV: 'production', INGEST_CRON: 'off' },
    })
    try {
      expect(production.config.smtpUrl).toBeUndefined()
      expect((await production.app?.inject({ url: '/dev/outbox' }))?.statusCode).toBe(404)
    } finally {
      await production.close()
      await clearPrefix(production.config.queuePrefix)
      await own.drop()
    }
    expect((await app().inject({ url: '/dev/outbox' })).statusCode).toBe(200)
  })

  it('disables admin routes when ADMIN_TOKEN is unset', async () => {
    const own = await createTestDatabase('operations_open')
    const open = await startTestRuntime({ env: { ...own.env, INGEST_CRON: 'off' } })
    try {
      const response = await open.app?.inject({ url: '/admin/queues' })
      expect(response?.statusCode).toBe(404)
      expect(response?.json().error).toMatch(/ADMIN_TOKEN/)
    } finally {
      await open.close()
      await clearPrefix(open.config.queuePrefix)
      await own.drop()
    }
  })
})

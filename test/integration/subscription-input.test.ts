import { like, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { subscribers } from '../../services/db/schema/index.js'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { clearPrefix, eventually, startTestRuntime } from '../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'

let database: TestDatabase
let smtp: TestSmtpServer
let runtime: Runtime

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

async function subscriberCount(): Promise<number> {
  const [row] = await runtime.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(subscribers)
  return Number(row?.n)
}

async function api(payload: unknown, headers: Record<string, string> = {}) {
  return app().inject({
    method: 'POST',
    url: '/api/subscriptions',
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  })
}

beforeAll(async () => {
  database = await createTestDatabase('input')
  smtp = await startSmtpServer()
  runtime = await startTestRuntime({ env: { ...database.env, SMTP_URL: smtp.url } })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await smtp?.close()
  await database?.drop()
})

describe('POST /api/subscriptions refuses bad input, naming the field, and writes nothing', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['missing email', { topics: [] }, 'email', /required/],
    [
      'email with CR/LF (header injection)',
      { email: 'a@example.com\r\nBcc: victim@example.com' },
      'email',
      /line breaks/,
    ],
    ['email with a bare LF', { email: 'a@example.com\nx' }, 'email', /line breaks/],
    [
      '300-character local part',
      { email: `${'a'.repeat(300)}@example.com` },
      'email',
      /64 characters/,
    ],
    ['no domain', { email: 'someone@' }, 'email', /name@example\.org/],
    ['no @ at all', { email: 'someone.example.com' }, 'email', /name@example\.org/],
    ['domain without a dot', { email: 'a@localhost' }, 'email', /domain/],
    ['Unicode local part', { email: 'josé@example.com' }, 'email', /ASCII/],
    ['invalid Unicode domain', { email: 'a@exa mple.com' }, 'email', /domain/],
    ['email of the wrong type', { email: 42 }, 'email', /string/],
    ['unknown field', { email: 'a@example.com', admin: true }, 'admin', /unknown/],
    ['hour out of range', { email: 'a@example.com', hour: 24 }, 'hour', /0 to 23/],
    ['hour as a string', { email: 'a@example.com', hour: '8' }, 'hour', /number/],
    ['fractional hour', { email: 'a@example.com', hour: 7.5 }, 'hour', /whole number/],
    ['bad frequency', { email: 'a@example.com', frequency: 'hourly' }, 'frequency', /daily/],
    ['bad weekday', { email: 'a@example.com', weekday: 'monday' }, 'weekday', /mon/],
    ['unknown time zone', { email: 'a@example.com', timezone: 'Mars/Olympus' }, 'timezone', /IANA/],
    ['topics not a list', { email: 'a@example.com', topics: 'ai-safety' }, 'topics', /list/],
    ['unknown topic', { email: 'a@example.com', topics: ['astrology'] }, 'topics', /astrology/],
    [
      'too many topics',
      { email: 'a@example.com', topics: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      'topics',
      /at most 10/,
    ],
    [
      'too many interests',
      { email: 'a@example.com', interests: Array.from({ length: 26 }, (_, i) => `word${i}`) },
      'interests',
      /at most 25/,
    ],
    [
      'interest over 200 characters',
      { email: 'a@example.com', interests: ['x'.repeat(201)] },
      'interests',
      /200/,
    ],
    [
      'interest with a newline',
      { email: 'a@example.com', interests: ['a\nb'] },
      'interests',
      /single line/,
    ],
    [
      'interest that requires nothing',
      { email: 'a@example.com', interests: ['NOT survey'] },
      'interests',
      /line 1/,
    ],
    [
      'unbalanced parenthesis',
      { email: 'a@example.com', interests: ['ok', '(safety'] },
      'interests',
      /line 2: .*parenthes.* at \d+/,
    ],
    [
      'interests of the wrong type',
      { email: 'a@example.com', interests: [1, 2] },
      'interests',
      /strings/,
    ],
  ]

  it.each(cases)('%s', async (_name, payload, field, message) => {
    const before = await subscriberCount()
    const response = await api(payload)
    expect(response.statusCode).toBe(400)
    const body = response.json()
    expect(body.error).toBeTruthy()
    expect(Object.keys(body.details)).toContain(field)
    expect(body.details[field]).toMatch(message)
    expect(await subscriberCount()).toBe(before)
  })

  it('reports every bad field at once', async () => {
    const response = await api({ email: 'nope', hour: -1, frequency: 'never', timezone: 'Nowhere' })
    expect(response.statusCode).toBe(400)
    expect(Object.keys(response.json().details).sort()).toEqual([
      'email',
      'frequency',
      'hour',
      'timezone',
    ])
  })

  it('refuses malformed JSON, a non-object body and a body over 32 KB', async () => {
    const before = await subscriberCount()
    const malformed = await api('{"email": ')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error).toBeTruthy()
    const array = await api([{ email: 'a@example.com' }])
    expect(array.statusCode).toBe(400)
    const huge = await api({ email: 'big@example.com', interests: ['x'.repeat(40 * 1024)] })
    expect(huge.statusCode).toBe(413)
    expect(huge.json().error).toMatch(/32 KB/)
    const hugeForm = await app().inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: `email=big%40example.com&interests=${'x'.repeat(40 * 1024)}`,
    })
    expect(hugeForm.statusCode).toBe(413)
    expect(hugeForm.body).toMatch(/too large/i)
    expect(await subscriberCount()).toBe(before)
  })

  it('accepts a valid request with the defaults, and a Unicode (IDN) domain in ASCII form', async () => {
    const response = await api({ email: 'Grüße@example.com' })
    expect(response.statusCode).toBe(400)
    const idn = await api({ email: 'hello@bücher.example' })
    expect(idn.statusCode).toBe(202)
    // The worker records the request.
    const stored = await eventually('the request to be recorded', async () => {
      const rows = await runtime.database.db
        .select({
          email: subscribers.email,
          hour: subscribers.hour,
          timezone: subscribers.timezone,
          frequency: subscribers.frequency,
        })
        .from(subscribers)
        .where(like(subscribers.email, 'hello@%'))
      return rows.length > 0 && rows
    })
    expect(stored[0]).toEqual({
      email: 'hello@xn--bcher-kva.example',
      hour: 8,
      timezone: 'UTC',
      frequency: 'daily',
    })
  })
})

describe('rate limits', () => {
  it('limits subscribe requests per IP address per minute (SUBSCRIBE_RATE_LIMIT)', async () => {
    // A process of its own needs a database of its own: the embedded one serves one process.
    const own = await createTestDatabase('input_limited')
    const limited = await startTestRuntime({
      env: { ...own.env, SMTP_URL: smtp.url, SUBSCRIBE_RATE_LIMIT: '3' },
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 5; i++) {
        const response = await limited.app?.inject({
          method: 'POST',
          url: '/api/subscriptions',
          payload: { email: `ip-limit-${i}@example.com` },
          remoteAddress: '203.0.113.7',
        })
        statuses.push(response?.statusCode ?? 0)
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429])
      const other = await limited.app?.inject({
        method: 'POST',
        url: '/api/subscriptions',
        payload: { email: 'other-ip@example.com' },
        remoteAddress: '198.51.100.1',
      })
      expect(other?.statusCode).toBe(202)
    } finally {
      await limited.close()
      await clearPrefix(limited.config.queuePrefix)
      await own.drop()
    }
  })

  it('limits requests for one address, whichever IP they come from', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const response = await app().inject({
        method: 'POST',
        url: '/api/subscriptions',
        payload: { email: 'Target@Example.com' },
        remoteAddress: `192.0.2.${i + 1}`,
      })
      statuses.push(response.statusCode)
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202])
    expect(statuses.slice(5)).toEqual([429, 429])
  })
})

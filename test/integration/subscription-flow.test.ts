import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  findSubscriber,
  findSubscriberIdByEmail,
  statusHistory,
} from '../../services/db/repositories/subscribers.js'
import { signToken } from '../../services/domain/tokens.js'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { followConfirmLink } from '../helpers/flows.js'
import { decodeEntities, hrefContaining, postFormAction } from '../helpers/html.js'
import {
  clearPrefix,
  eventually,
  linksIn,
  pathOf,
  startTestRuntime,
  TEST_SECRET,
} from '../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'

let database: TestDatabase
let smtp: TestSmtpServer
let runtime: Runtime
let clock = new Date('2026-11-28T09:00:00Z')

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}
const db = () => runtime.database.db

function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v)
  }
  return params.toString()
}

async function postForm(url: string, fields: Record<string, string | string[]>) {
  return app().inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: form(fields),
  })
}

async function subscribeAndConfirm(email: string, fields: Record<string, string | string[]> = {}) {
  const before = smtp.to(email).length
  const response = await postForm('/subscribe', { email, timezone: 'Europe/Paris', ...fields })
  expect(response.statusCode).toBe(200)
  await eventually(`a confirmation for ${email}`, async () => smtp.to(email).length > before)
  const mail = smtp.to(email).at(-1)
  const confirmLink = linksIn(mail?.parsed.text).find((l) => l.includes('/confirm?token='))
  expect(confirmLink).toBeDefined()
  const confirmed = await followConfirmLink(app(), confirmLink ?? '')
  expect(confirmed.statusCode).toBe(200)
  const id = await findSubscriberIdByEmail(db(), email)
  if (id === undefined) throw new Error(`${email} was not stored`)
  const subscriber = await findSubscriber(db(), id)
  if (!subscriber) throw new Error('subscriber vanished')
  const confirmation = { html: String(mail?.parsed.html || ''), text: mail?.parsed.text ?? '' }
  return { subscriber, confirmedPage: confirmed.body, confirmation }
}

function tokenFor(
  purpose: 'confirm' | 'preferences' | 'unsubscribe',
  id: number,
  version = 1,
  at = clock,
) {
  return signToken(TEST_SECRET, { purpose, subscriberId: id, version }, at)
}

beforeAll(async () => {
  database = await createTestDatabase('subscription')
  smtp = await startSmtpServer()
  runtime = await startTestRuntime({
    env: { ...database.env, SMTP_URL: smtp.url },
    now: () => clock,
  })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await smtp?.close()
  await database?.drop()
})

beforeEach(() => {
  clock = new Date(clock.getTime() + 60 * 60 * 1000)
})

describe('subscribe form', () => {
  it('shows the contract fields and the seeded topics', async () => {
    const response = await app().inject({ method: 'GET', url: '/' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('text/html')
    for (const field of [
      'name="email"',
      'name="topics"',
      'name="interests"',
      'name="frequency"',
      'name="weekday"',
      'name="hour"',
      'name="timezone"',
    ]) {
      expect(response.body).toContain(field)
    }
    expect(response.body).toContain('value="ai-safety"')
    expect(response.body).toContain('value="trending"')
    expect(response.headers['content-security-policy']).toContain("default-src 'self'")
  })

  it('double opt-in: one confirmation email, nothing active until the link is followed', async () => {
    const response = await postForm('/subscribe', {
      email: ' Ada.Lovelace@Example.ORG ',
      topics: ['ai-safety', 'robotics'],
      interests: 'diffusion\n\n"large language models" AND safety\n',
      frequency: 'weekly',
      weekday: 'fri',
      hour: '7',
      timezone: 'Europe/Paris',
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toMatch(/check your inbox/i)

    // The request is recorded by the worker, which then sends the confirmation.
    await eventually('the confirmation', async () => smtp.to('ada.lovelace@example.org').length > 0)
    const id = await findSubscriberIdByEmail(db(), 'ada.lovelace@example.org')
    expect(id).toBeDefined()
    const pending = await findSubscriber(db(), id ?? 0)
    expect(pending).toMatchObject({
      email: 'Ada.Lovelace@example.org',
      status: 'pending',
      frequency: 'weekly',
      weekday: 'fri',
      hour: 7,
      timezone: 'Europe/Paris',
      topics: ['ai-safety', 'robotics'],
      interests: ['diffusion', '"large language models" AND safety'],
    })

    const mail = smtp.to('ada.lovelace@example.org').at(-1)
    expect(mail?.envelopeTo).toEqual(['ada.lovelace@example.org'])
    expect(mail?.parsed.subject).toMatch(/confirm/i)
    expect(mail?.parsed.html).toBeTruthy()
    expect(mail?.parsed.text).toContain('/confirm?token=')
    expect(mail?.parsed.html).toContain('AI safety')

    const link = linksIn(mail?.parsed.text).find((l) =>
      l.startsWith('http://paperboy.test/confirm?token='),
    )
    // Opening the link (as a mail scanner does) only shows a button.
    const page = await app().inject({ url: pathOf(link ?? ''), headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    const action = postFormAction(page.body, '/confirm')
    expect(action).toBe(pathOf(link ?? ''))
    expect((await findSubscriber(db(), id ?? 0))?.status).toBe('pending')

    // Pressing it confirms; pressing it again changes nothing more.
    for (let i = 0; i < 2; i++) {
      const confirmed = await postForm(action ?? '', {})
      expect(confirmed.statusCode).toBe(200)
      expect(hrefContaining(confirmed.body, '/preferences?token=')).toBeDefined()
      expect((await findSubscriber(db(), id ?? 0))?.status).toBe('active')
    }

    const history = await statusHistory(db(), id ?? 0)
    expect(history.map((h) => h.status)).toEqual(['pending', 'active'])
  })

  it('answers the same for a new, pending and active address, and sends one email per 10 minutes', async () => {
    const { subscriber } = await subscribeAndConfirm('grace@example.com', {
      interests: 'compilers',
    })
    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    const newcomer = await postForm('/subscribe', {
      email: 'brand-new@example.com',
      timezone: 'UTC',
    })
    const existing = await postForm('/subscribe', {
      email: 'GRACE@example.com',
      interests: 'rewritten',
      timezone: 'UTC',
    })
    expect(existing.statusCode).toBe(newcomer.statusCode)
    expect(existing.body.replaceAll('GRACE@example.com', 'X')).toBe(
      newcomer.body.replaceAll('brand-new@example.com', 'X'),
    )

    const json = async (email: string) =>
      app().inject({ method: 'POST', url: '/api/subscriptions', payload: { email } })
    const a = await json('someone-else@example.com')
    const b = await json('grace@example.com')
    expect([a.statusCode, a.json()]).toEqual([202, { status: 'pending' }])
    expect([b.statusCode, b.json()]).toEqual([202, { status: 'pending' }])

    const countFor = (email: string) => smtp.to(email).length
    // Confirmation and notice for Grace, one confirmation for the new address.
    await eventually(
      'the first emails',
      async () => countFor('grace@example.com') === 2 && countFor('brand-new@example.com') === 1,
    )
    // The owner of the active address gets their links, and a stranger could not change their interests.
    const unchanged = await findSubscriber(db(), subscriber.id)
    expect(unchanged?.interests).toEqual(['compilers'])
    expect(unchanged?.status).toBe('active')
    const graceBefore = countFor('grace@example.com')
    for (let i = 0; i < 3; i++)
      await postForm('/subscribe', { email: 'brand-new@example.com', timezone: 'UTC' })
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(countFor('brand-new@example.com')).toBe(1)
    expect(countFor('grace@example.com')).toBe(graceBefore)
    const notice = smtp.to('grace@example.com').at(-1)
    expect(notice?.parsed.subject).toMatch(/already/i)
    expect(notice?.parsed.text).toContain('/preferences?token=')

    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    await postForm('/subscribe', { email: 'brand-new@example.com', timezone: 'UTC' })
    await eventually(
      'a second confirmation after 10 minutes',
      async () => countFor('brand-new@example.com') === 2,
    )
  })

  it('puts no text a stranger wrote in the confirmation email, only topic names and a count', async () => {
    const lures = ['"urgent call evil example now"', 'claim your prize at evil example']
    const { subscriber, confirmation } = await subscribeAndConfirm('target@example.org', {
      topics: 'robotics',
      interests: lures.join('\n'),
    })
    for (const part of [decodeEntities(confirmation.html), confirmation.text]) {
      expect(part).toContain('Robotics')
      expect(part).toContain('2 interests of your own')
      expect(part).not.toMatch(/evil|prize/)
    }
    // The owner sees them once confirmed, in the preference centre.
    const page = await app().inject({
      url: `/preferences?token=${tokenFor('preferences', subscriber.id, subscriber.tokenVersion)}`,
    })
    for (const lure of lures) expect(decodeEntities(page.body)).toContain(lure)
  })

  it('re-shows the form with every error and writes nothing for bad input', async () => {
    const response = await postForm('/subscribe', {
      email: 'not an address',
      interests: 'safety AND\n(diffusion',
      hour: '25',
      timezone: 'Mars/Olympus',
      topics: 'no-such-topic',
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('line 1')
    expect(response.body).toContain('line 2')
    expect(response.body).toContain('Mars/Olympus')
    expect(response.body).toMatch(/time zone/i)
    expect(response.body).toMatch(/unknown topic/i)
    expect(await findSubscriberIdByEmail(db(), 'not an address')).toBeUndefined()
  })

  it('ignores a request whose honeypot field is filled, with the usual answer', async () => {
    const response = await postForm('/subscribe', {
      email: 'bot@example.com',
      website: 'http://spam.example',
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toMatch(/check your inbox/i)
    expect(await findSubscriberIdByEmail(db(), 'bot@example.com')).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.to('bot@example.com')).toHaveLength(0)
  })
})

describe('signed links', () => {
  it('refuses a token of the wrong purpose, a tampered one, an expired one and a revoked one', async () => {
    const { subscriber } = await subscribeAndConfirm('tokens@example.com')
    const confirmToken = tokenFor('confirm', subscriber.id)
    const wrongPurpose = await app().inject({
      url: `/preferences?token=${confirmToken}`,
      headers: { accept: 'text/html' },
    })
    expect(wrongPurpose.statusCode).toBe(400)
    expect(wrongPurpose.body).toMatch(/not valid/i)
    expect(wrongPurpose.body).not.toMatch(/at .*\.ts:\d+/)

    const unsubscribeWithConfirm = await app().inject({
      method: 'POST',
      url: `/unsubscribe?token=${confirmToken}`,
    })
    expect(unsubscribeWithConfirm.statusCode).toBe(400)
    expect((await findSubscriber(db(), subscriber.id))?.status).toBe('active')

    const good = tokenFor('preferences', subscriber.id)
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await app().inject({ url: `/preferences?token=${tampered}` })).statusCode).toBe(400)
    const forged = signToken(
      'another-secret-another-secret-another',
      { purpose: 'preferences', subscriberId: subscriber.id, version: 1 },
      clock,
    )
    expect((await app().inject({ url: `/preferences?token=${forged}` })).statusCode).toBe(400)
    expect((await app().inject({ url: '/preferences' })).statusCode).toBe(400)
    expect((await app().inject({ url: '/preferences?token=%00%0d%0a' })).statusCode).toBe(400)

    const oldConfirm = tokenFor(
      'confirm',
      subscriber.id,
      1,
      new Date(clock.getTime() - 8 * 24 * 3600 * 1000),
    )
    const expired = await app().inject({
      url: `/confirm?token=${oldConfirm}`,
      headers: { accept: 'text/html' },
    })
    expect(expired.statusCode).toBe(410)
    expect(expired.body).toMatch(/expired/i)

    const revoked = await app().inject({
      url: `/preferences?token=${tokenFor('preferences', subscriber.id, 0)}`,
    })
    expect(revoked.statusCode).toBe(410)

    expect((await app().inject({ url: `/preferences?token=${good}` })).statusCode).toBe(200)
  })
})

describe('preference centre', () => {
  it('saves every field, and refuses a bad interest line with where and why, saving nothing', async () => {
    const { subscriber } = await subscribeAndConfirm('prefs@example.com', {
      interests: 'diffusion',
    })
    const url = `/preferences?token=${tokenFor('preferences', subscriber.id)}`
    const page = await app().inject({ url })
    expect(page.body).toContain('prefs@example.com')
    expect(page.body).toContain('diffusion')

    const bad = await postForm(url, {
      topics: ['robotics'],
      interests: 'fine line\nsafety AND (reasoning',
      frequency: 'weekly',
      weekday: 'sun',
      hour: '18',
      timezone: 'America/New_York',
    })
    expect(bad.statusCode).toBe(400)
    expect(decodeEntities(bad.body)).toMatch(/line 2: [^<]*parenthes[^<]* at \d+/)
    expect(decodeEntities(bad.body)).toContain('safety AND (reasoning')
    expect(await findSubscriber(db(), subscriber.id)).toMatchObject({
      interests: ['diffusion'],
      frequency: 'daily',
    })

    const good = await postForm(url, {
      topics: ['robotics', 'trending'],
      interests: 'reward-free RL\nalignment -survey',
      frequency: 'weekly',
      weekday: 'sun',
      hour: '18',
      timezone: 'America/New_York',
    })
    expect(good.statusCode).toBe(200)
    expect(await findSubscriber(db(), subscriber.id)).toMatchObject({
      topics: ['robotics', 'trending'],
      interests: ['reward-free RL', 'alignment -survey'],
      frequency: 'weekly',
      weekday: 'sun',
      hour: 18,
      timezone: 'America/New_York',
    })
  })

  it('deletes the subscriber and everything they own, and their links stop working', async () => {
    const { subscriber } = await subscribeAndConfirm('forget-me@example.com', {
      interests: 'privacy',
      topics: 'privacy-security',
    })
    const url = `/preferences/delete?token=${tokenFor('preferences', subscriber.id)}`
    const unconfirmed = await postForm(url, {})
    expect(unconfirmed.statusCode).toBe(400)
    expect(await findSubscriber(db(), subscriber.id)).toBeDefined()

    const deleted = await postForm(url, { confirm: 'yes' })
    expect(deleted.statusCode).toBe(200)
    expect(await findSubscriber(db(), subscriber.id)).toBeUndefined()
    expect(await statusHistory(db(), subscriber.id)).toEqual([])
    const after = await app().inject({
      url: `/preferences?token=${tokenFor('preferences', subscriber.id)}`,
    })
    expect(after.statusCode).toBe(410)
  })
})

describe('unsubscribe', () => {
  it('GET shows a button and changes nothing; one-click POST unsubscribes, twice is fine; resubscribing needs opt-in again', async () => {
    const { subscriber } = await subscribeAndConfirm('leaver@example.com')
    const url = `/unsubscribe?token=${tokenFor('unsubscribe', subscriber.id)}`

    const page = await app().inject({ url })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<form')
    expect(page.body).toContain('method="post"')
    expect((await findSubscriber(db(), subscriber.id))?.status).toBe('active')

    for (let i = 0; i < 2; i++) {
      const oneClick = await app().inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      })
      expect(oneClick.statusCode).toBe(200)
      expect((await findSubscriber(db(), subscriber.id))?.status).toBe('unsubscribed')
    }
    expect((await statusHistory(db(), subscriber.id)).map((h) => h.status)).toEqual([
      'pending',
      'active',
      'unsubscribed',
    ])

    const button = await postForm(url, {})
    expect(button.statusCode).toBe(200)
    expect(button.body).toMatch(/unsubscribed/i)

    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    const again = await subscribeAndConfirm('leaver@example.com')
    expect(again.subscriber.status).toBe('active')
    expect((await statusHistory(db(), subscriber.id)).map((h) => h.status)).toEqual([
      'pending',
      'active',
      'unsubscribed',
      'pending',
      'active',
    ])
  })
})

describe('sending', () => {
  it('retries a confirmation the SMTP server refused with 4xx, and suppresses an address refused with 5xx', async () => {
    let refusals = 0
    smtp.rejectRecipient = (address) => {
      if (address === 'greylisted@example.com' && refusals < 2) {
        refusals++
        return [451, '4.7.1 Greylisted, try again later']
      }
      if (address === 'gone@example.com') return [550, '5.1.1 No such user']
      return undefined
    }
    try {
      await postForm('/subscribe', { email: 'greylisted@example.com', timezone: 'UTC' })
      await eventually(
        'the retried confirmation',
        async () => smtp.to('greylisted@example.com').length === 1,
      )
      expect(refusals).toBe(2)

      await postForm('/subscribe', { email: 'gone@example.com', timezone: 'UTC' })
      const id = await eventually('the bounce', async () => {
        const found = await findSubscriberIdByEmail(db(), 'gone@example.com')
        const row = found === undefined ? undefined : await findSubscriber(db(), found)
        return row?.status === 'bounced' ? row.id : undefined
      })
      expect((await statusHistory(db(), id)).at(-1)?.reason).toMatch(/550/)
      clock = new Date(clock.getTime() + 11 * 60 * 1000)
      const again = await postForm('/subscribe', { email: 'gone@example.com', timezone: 'UTC' })
      expect(again.statusCode).toBe(200)
      expect((await findSubscriber(db(), id))?.status).toBe('bounced')
    } finally {
      smtp.rejectRecipient = undefined
    }
  })
})

describe('health', () => {
  it('is live and ready with Postgres and Redis up', async () => {
    expect((await app().inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    const ready = await app().inject({ url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } })
  })
})

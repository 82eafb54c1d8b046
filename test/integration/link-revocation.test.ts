import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  findSubscriber,
  findSubscriberIdByEmail,
  type Subscriber,
} from '../../services/db/repositories/subscribers.js'
import { signToken, type TokenPurpose } from '../../services/domain/tokens.js'
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

// A signed link is the only credential a subscriber has. Unsubscribing, resubscribing and
// "sign out all links" must each make every link sent before useless, so that a forwarded or
// leaked email cannot undo what its owner did.

let database: TestDatabase
let smtp: TestSmtpServer
let runtime: Runtime
let clock = new Date('2026-11-28T09:00:00Z')

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}
const db = () => runtime.database.db
const html = { accept: 'text/html' }

beforeAll(async () => {
  database = await createTestDatabase('revocation')
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
  // Past the 10-minute cool-down between confirmation emails to one address.
  clock = new Date(clock.getTime() + 60 * 60 * 1000)
})

async function post(url: string, payload = '') {
  return app().inject({
    method: 'POST',
    url,
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    payload,
  })
}

async function nextMail(email: string, before: number, subject: RegExp) {
  await eventually(`an email to ${email}`, async () => smtp.to(email).length > before)
  const mail = smtp.to(email).at(-1)
  expect(mail?.parsed.subject).toMatch(subject)
  return mail?.parsed.text ?? ''
}

async function subscribeConfirmed(email: string): Promise<Subscriber> {
  const before = smtp.to(email).length
  const subscribed = await post('/subscribe', `email=${encodeURIComponent(email)}&timezone=UTC`)
  expect(subscribed.statusCode).toBe(200)
  const text = await nextMail(email, before, /confirm/i)
  const confirmLink = linksIn(text).find((l) => l.includes('/confirm?token='))
  expect((await followConfirmLink(app(), confirmLink ?? '')).statusCode).toBe(200)
  return current(email)
}

async function current(email: string): Promise<Subscriber> {
  const id = await findSubscriberIdByEmail(db(), email)
  const subscriber = id === undefined ? undefined : await findSubscriber(db(), id)
  if (!subscriber) throw new Error(`${email} is not stored`)
  return subscriber
}

/** The links every email to this subscriber carries at the moment, as paths. */
function linksNow(subscriber: Subscriber) {
  const token = (purpose: TokenPurpose) =>
    encodeURIComponent(
      signToken(
        TEST_SECRET,
        { purpose, subscriberId: subscriber.id, version: subscriber.tokenVersion },
        clock,
      ),
    )
  return {
    confirm: `/confirm?token=${token('confirm')}`,
    preferences: `/preferences?token=${token('preferences')}`,
    resubscribe: `/preferences/resubscribe?token=${token('preferences')}`,
    signOut: `/preferences/sign-out?token=${token('preferences')}`,
    delete: `/preferences/delete?token=${token('preferences')}`,
    unsubscribe: `/unsubscribe?token=${token('unsubscribe')}`,
    digest: `/digests/1?token=${token('digest')}`,
  }
}

/** Every link in `links` answers with the "no longer valid" page, and says how to get a new one. */
async function expectRevoked(links: ReturnType<typeof linksNow>) {
  for (const url of [links.preferences, links.unsubscribe, links.digest, links.confirm]) {
    const page = await app().inject({ url, headers: html })
    expect([url, page.statusCode]).toEqual([url, 410])
    expect(decodeEntities(page.body)).toContain('This link is no longer valid')
    expect(decodeEntities(page.body)).toMatch(/home page/)
  }
  for (const url of [links.preferences, links.confirm, links.resubscribe, links.signOut]) {
    expect([url, (await post(url)).statusCode]).toEqual([url, 410])
  }
  expect((await post(links.delete, 'confirm=yes')).statusCode).toBe(410)
}

describe('unsubscribing', () => {
  it('revokes every earlier link; repeating it still answers "unsubscribed"', async () => {
    const subscriber = await subscribeConfirmed('leaver@example.org')
    const before = linksNow(subscriber)
    expect((await app().inject({ url: before.preferences })).statusCode).toBe(200)

    const unsubscribed = await post(before.unsubscribe)
    expect(unsubscribed.statusCode).toBe(200)
    expect(unsubscribed.body).toMatch(/you're unsubscribed/i)
    expect((await current('leaver@example.org')).status).toBe('unsubscribed')

    await expectRevoked(before)
    // Neither an old preference link nor the old unsubscribe link can re-activate or reach anything.
    expect((await current('leaver@example.org')).status).toBe('unsubscribed')

    // RFC 8058: a mail client posting the one-click unsubscribe again gets the same answer.
    const oneClick = await app().inject({
      method: 'POST',
      url: before.unsubscribe,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect([oneClick.statusCode, oneClick.body]).toEqual([200, 'Unsubscribed.'])
    const again = await post(before.unsubscribe)
    expect(again.statusCode).toBe(200)
    expect(again.body).toMatch(/you're unsubscribed/i)
    expect(again.body).not.toContain('token=')

    // The page that did it links to the preference centre with a fresh link.
    const fresh = hrefContaining(unsubscribed.body, '/preferences?token=')
    expect((await app().inject({ url: pathOf(fresh ?? '') })).statusCode).toBe(200)
  })

  it('by one-click revokes too', async () => {
    const subscriber = await subscribeConfirmed('one-click@example.org')
    const before = linksNow(subscriber)
    const oneClick = await app().inject({
      method: 'POST',
      url: before.unsubscribe,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    await expectRevoked(before)
  })
})

describe('resubscribing', () => {
  it('from the unsubscribed page needs a fresh confirmation email, and revokes the links before it', async () => {
    const email = 'returner@example.org'
    const subscriber = await subscribeConfirmed(email)
    const original = linksNow(subscriber)
    const unsubscribed = await post(original.unsubscribe)
    const action = postFormAction(unsubscribed.body, '/preferences/resubscribe')
    expect(action).toBeDefined()
    const afterUnsubscribe = linksNow(await current(email))

    const mails = smtp.to(email).length
    const resubscribed = await post(action ?? '')
    expect(resubscribed.statusCode).toBe(200)
    expect(resubscribed.body).toMatch(/check your inbox/i)
    // Not active until the new email's link is followed.
    expect((await current(email)).status).toBe('pending')
    await expectRevoked(original)
    await expectRevoked(afterUnsubscribe)
    expect((await current(email)).status).toBe('pending')

    const text = await nextMail(email, mails, /confirm/i)
    const confirmLink = linksIn(text).find((l) => l.includes('/confirm?token='))
    expect((await followConfirmLink(app(), confirmLink ?? '')).statusCode).toBe(200)
    expect((await current(email)).status).toBe('active')
    await expectRevoked(original)
  })

  it('with a preference link from before unsubscribing cannot re-activate the address', async () => {
    const email = 'stolen-link@example.org'
    const subscriber = await subscribeConfirmed(email)
    const leaked = linksNow(subscriber)
    await post(leaked.unsubscribe)
    const mails = smtp.to(email).length

    const attempt = await post(leaked.resubscribe)
    expect(attempt.statusCode).toBe(410)
    expect((await current(email)).status).toBe('unsubscribed')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smtp.to(email)).toHaveLength(mails)
  })

  it('through the subscribe form revokes the links from before it', async () => {
    const email = 'form-returner@example.org'
    await subscribeConfirmed(email)
    await post(linksNow(await current(email)).unsubscribe)
    const whileUnsubscribed = linksNow(await current(email))
    expect((await app().inject({ url: whileUnsubscribed.preferences })).statusCode).toBe(200)

    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    const again = await subscribeConfirmed(email)
    expect(again.status).toBe('active')
    await expectRevoked(whileUnsubscribed)
    expect((await app().inject({ url: linksNow(again).preferences })).statusCode).toBe(200)
  })
})

describe('signing out all links', () => {
  it('revokes every link sent so far and changes nothing else; the next email carries links that work', async () => {
    const email = 'careful@example.org'
    const subscriber = await subscribeConfirmed(email)
    const before = linksNow(subscriber)
    const preferences = await app().inject({ url: before.preferences })
    const action = postFormAction(preferences.body, '/preferences/sign-out')
    expect(action).toBe(decodeURIComponent(before.signOut))

    const signedOut = await post(action ?? '')
    expect(signedOut.statusCode).toBe(200)
    expect(signedOut.body).toMatch(/all links are signed out/i)
    expect(signedOut.body).not.toContain('token=')
    await expectRevoked(before)
    const after = await current(email)
    expect(after.status).toBe('active')
    expect(after.tokenVersion).toBeGreaterThan(subscriber.tokenVersion)

    // How the page says to get a fresh link: the address on the home page.
    clock = new Date(clock.getTime() + 11 * 60 * 1000)
    const mails = smtp.to(email).length
    await post('/subscribe', `email=${encodeURIComponent(email)}&timezone=UTC`)
    const text = await nextMail(email, mails, /already/i)
    const fresh = linksIn(text).find((l) => l.includes('/preferences?token='))
    expect((await app().inject({ url: pathOf(fresh ?? '') })).statusCode).toBe(200)
  })
})

describe('deleting my data', () => {
  it('leaves no link working, not even for the same address subscribed again', async () => {
    const email = 'phoenix@example.org'
    const subscriber = await subscribeConfirmed(email)
    const before = linksNow(subscriber)
    const deleted = await post(before.delete, 'confirm=yes')
    expect(deleted.statusCode).toBe(200)

    const reborn = await subscribeConfirmed(email)
    expect(reborn.id).not.toBe(subscriber.id)
    for (const url of [before.preferences, before.unsubscribe, before.digest]) {
      const page = await app().inject({ url, headers: html })
      expect([url, page.statusCode]).toEqual([url, 410])
    }
    expect((await post(before.resubscribe)).statusCode).toBe(410)
    expect((await app().inject({ url: linksNow(reborn).preferences })).statusCode).toBe(200)
  })
})

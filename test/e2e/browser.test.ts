import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  findSubscriber,
  findSubscriberIdByEmail,
  type Subscriber,
} from '../../services/db/repositories/subscribers.js'
import type { Runtime } from '../../services/runtime.js'
import { runDigests } from '../../services/usecases/run-digests.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { readFixture } from '../helpers/fixtures.js'
import { clearPrefix, eventually, linksIn } from '../helpers/runtime.js'
import { type ReceivedMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'
import {
  CHROMIUM_PATH,
  capture,
  chromiumAvailable,
  expectAccessible,
  INSTALL_HINT,
  ingestOverHttp,
  launchChromium,
  startServedRuntime,
} from './helpers.js'

const available = chromiumAvailable()
const inCi = process.env.CI === 'true'
// Outside CI a missing browser skips these tests, saying how to get it; in CI it fails the run
// (beforeAll throws) so the browser tests can never silently stop running there.
const skip = !available && !inCi
if (skip) console.warn(`Skipping the browser tests: ${INSTALL_HINT}.`)

const ADMIN_TOKEN = 'admin-token-for-browser-tests-123'
const EMAIL = 'ada@example.org'
const ZONE = 'Europe/Paris'
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

// The fixture in two batches: the first is there before anyone subscribes (so the live preview
// has recent papers to count), the second arrives after the preferences are saved (so it is
// matched against the edited interests and delivered in the digest).
const fixture = JSON.parse(readFixture('hf-daily-papers-2026-06-12.json')) as unknown[]
const FIRST_BATCH = JSON.stringify(fixture.slice(0, 15))
const SECOND_BATCH = JSON.stringify(fixture.slice(15))

/** A weekday three days from today in Paris: the scheduler's own tick can never send during the run. */
function quietWeekday(): string {
  const today = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: ZONE })
    .format(new Date())
    .slice(0, 3)
    .toLowerCase()
  const index = WEEKDAYS.indexOf(today as (typeof WEEKDAYS)[number])
  return WEEKDAYS[(index + 3) % 7] ?? 'mon'
}

describe.skipIf(skip)(`the pages and emails in Chromium (${CHROMIUM_PATH})`, () => {
  let database: TestDatabase
  let smtp: TestSmtpServer
  let runtime: Runtime
  let baseUrl: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let emailPage: Page
  const weekday = quietWeekday()

  const db = () => runtime.database.db

  async function subscriberByEmail(email: string): Promise<Subscriber> {
    const id = await findSubscriberIdByEmail(db(), email)
    const subscriber = id === undefined ? undefined : await findSubscriber(db(), id)
    if (!subscriber) throw new Error(`${email} is not stored`)
    return subscriber
  }

  async function nextMail(email: string, subject: RegExp): Promise<ReceivedMail> {
    return eventually(`an email to ${email} matching ${subject}`, async () =>
      smtp.to(email).find((m) => subject.test(m.parsed.subject ?? '')),
    )
  }

  function linkIn(mail: ReceivedMail, fragment: string): string {
    const link = linksIn(mail.parsed.text).find((l) => l.includes(fragment))
    if (!link) throw new Error(`no ${fragment} link in "${mail.parsed.subject}"`)
    return link
  }

  /** Waits for the page's one h1 to read `name`: the page the person now sees. */
  async function expectHeading(target: Page, name: RegExp): Promise<void> {
    await target.getByRole('heading', { level: 1, name }).waitFor()
  }

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true: ${INSTALL_HINT}`)
    database = await createTestDatabase('e2e')
    smtp = await startSmtpServer()
    ;({ runtime, baseUrl } = await startServedRuntime({
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      ADMIN_TOKEN,
    }))
    expect((await ingestOverHttp(runtime, baseUrl, ADMIN_TOKEN, FIRST_BATCH)).new).toBe(15)
    browser = await launchChromium()
    // The browser's time zone is what the subscribe form should pick up.
    context = await browser.newContext({ timezoneId: ZONE, baseURL: baseUrl })
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await runtime?.close()
    if (runtime) await clearPrefix(runtime.config.queuePrefix)
    await smtp?.close()
    await database?.drop()
  })

  it('shows the subscribe form with labelled fields and the browser time zone, and an error summary for a bad address', async () => {
    await page.goto('/')
    await expectHeading(page, /research papers/i)
    await expectAccessible(page)
    expect(await page.getByLabel('Time zone').inputValue()).toBe(ZONE)
    await capture(page, '01-subscribe')

    await page.getByLabel('Email address').fill('not an address')
    await page.getByLabel('AI safety & alignment').check()
    await page.getByLabel('Interests').fill('agent* AND benchmark*')
    await page.getByLabel('How often').selectOption('weekly')
    await page.getByLabel('Day (weekly only)').selectOption(weekday)
    await page.getByLabel('Time', { exact: true }).selectOption('7')
    await page.getByRole('button', { name: 'Subscribe' }).click()

    const alert = page.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toMatch(/Email address/)
    await expectAccessible(page)
    // What was chosen survives the round trip, so only the address needs fixing.
    expect(await page.getByLabel('AI safety & alignment').isChecked()).toBe(true)
    expect(await page.getByLabel('Interests').inputValue()).toBe('agent* AND benchmark*')
    expect(await page.getByLabel('Time zone').inputValue()).toBe(ZONE)
    await capture(page, '02-subscribe-errors')
    expect(await findSubscriberIdByEmail(db(), 'not an address')).toBeUndefined()
  })

  it('subscribes and shows "check your inbox"; nothing is active yet', async () => {
    await page.getByLabel('Email address').fill(EMAIL)
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await expectHeading(page, /check your inbox/i)
    expect(await page.locator('.address').textContent()).toBe(EMAIL)
    await expectAccessible(page)
    await capture(page, '03-check-inbox')

    expect(await subscriberByEmail(EMAIL)).toMatchObject({
      status: 'pending',
      topics: ['ai-safety'],
      interests: ['agent* AND benchmark*'],
      frequency: 'weekly',
      weekday,
      hour: 7,
      timezone: ZONE,
    })
  })

  it('confirms from the link in the real email and reaches the preferences', async () => {
    const mail = await nextMail(EMAIL, /confirm/i)
    const confirm = linkIn(mail, '/confirm?token=')
    expect(confirm.startsWith(`${baseUrl}/confirm?token=`)).toBe(true)

    // The link opens a page with one button; opening it alone confirms nothing.
    await page.goto(confirm)
    await expectHeading(page, /confirm your subscription/i)
    await expectAccessible(page)
    expect((await subscriberByEmail(EMAIL)).status).toBe('pending')
    await page.getByRole('button', { name: 'Confirm my subscription' }).click()
    await expectHeading(page, /you're subscribed/i)
    await expectAccessible(page)
    await capture(page, '04-confirmed')
    expect((await subscriberByEmail(EMAIL)).status).toBe('active')

    await page.getByRole('link', { name: 'Manage my preferences' }).click()
    await expectHeading(page, /your preferences/i)
    await expectAccessible(page)
    expect(await page.getByLabel('Email address').inputValue()).toBe(EMAIL)
    expect(await page.getByLabel('Time zone').inputValue()).toBe(ZONE)
    expect(await page.getByLabel('How often').inputValue()).toBe('weekly')
    expect(await page.getByLabel('Day (weekly only)').inputValue()).toBe(weekday)
    expect(await page.getByLabel('Time', { exact: true }).inputValue()).toBe('7')
    await capture(page, '05-preferences')
  })

  it('previews a new interest line while it is typed, then saves it', async () => {
    const interests = page.getByLabel('Interests')
    await interests.click()
    await interests.press('Control+End')
    await interests.pressSequentially('\ndiffusion')

    // The count the page shows is the API's own for the line under the caret.
    const api = await fetch(`${baseUrl}/api/preview?q=diffusion&days=7`)
    const { total } = (await api.json()) as { total: number }
    expect(total).toBeGreaterThan(0)
    const preview = page.locator('#interest-preview')
    await preview.getByText(`“diffusion” matched ${total} paper`).waitFor()
    expect(await preview.getByRole('listitem').count()).toBe(Math.min(total, 5))
    await capture(page, '06-preferences-preview')

    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').getByText(/saved/i).waitFor()
    await expectAccessible(page)
    await capture(page, '07-preferences-saved')
    expect((await subscriberByEmail(EMAIL)).interests).toEqual([
      'agent* AND benchmark*',
      'diffusion',
    ])
  })

  it('sends a digest of the new papers that renders at phone and laptop widths', async () => {
    expect((await ingestOverHttp(runtime, baseUrl, ADMIN_TOKEN, SECOND_BATCH)).new).toBe(15)
    const ids = await runDigests(
      { db: db(), queues: runtime.queues, now: () => new Date() },
      {
        now: true,
      },
    )
    expect(ids).toHaveLength(1)
    const mail = await nextMail(EMAIL, /new papers? on/)
    const html = mail.parsed.html
    if (typeof html !== 'string') throw new Error('the digest has no HTML part')

    // A fresh tab: setContent() on a tab showing one of our pages would inherit that page's
    // Content-Security-Policy, which forbids the inline styles every HTML email depends on.
    emailPage = await context.newPage()
    await emailPage.setContent(html, { waitUntil: 'load' })
    // The preheader (the inbox snippet) is hidden by an inline style: it being hidden shows
    // the email's own styles applied, as in a mail client, not a bare unstyled document.
    expect(await emailPage.locator('[role="article"] > div').first().isHidden()).toBe(true)
    await capture(emailPage, '08-digest-email')
    expect(await emailPage.getByRole('heading', { level: 1 }).count()).toBe(1)
    expect(await emailPage.locator('.hl').count()).toBeGreaterThan(0)
    expect(await emailPage.getByRole('heading', { name: /diffusion/ }).count()).toBe(1)
  })

  it('opens the whole digest in the browser from the email', async () => {
    const mail = await nextMail(EMAIL, /new papers? on/)
    const total = Number(/^(\d+) new papers? on/.exec(mail.parsed.subject ?? '')?.[1])
    // "View all N papers" only appears when the email had to leave papers out; otherwise the
    // "view in your browser" link is the one that shows them all.
    const viewAll = emailPage.getByRole('link', { name: /view all \d+ papers/i })
    const link =
      (await viewAll.count()) > 0
        ? viewAll
        : emailPage.getByRole('link', { name: 'View this digest in your browser' })
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${baseUrl}/digests/\\d+\\?token=`))
    await link.click()
    await emailPage.waitForURL(/\/digests\/\d+\?token=/)
    await emailPage.getByRole('heading', { level: 1 }).waitFor()
    await expectAccessible(emailPage)
    expect(await emailPage.locator('article').count()).toBe(total)
    const titles = [...(mail.parsed.text ?? '').matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1])
    expect(titles).toHaveLength(total)
    const shown = await emailPage.getByRole('heading', { level: 3 }).allInnerTexts()
    expect(shown).toEqual(titles)
    await capture(emailPage, '09-digest-web-view')
    await emailPage.close()
  })

  it('unsubscribes from the email link: the page changes nothing until its button is pressed', async () => {
    const mail = await nextMail(EMAIL, /new papers? on/)
    await page.goto(linkIn(mail, '/unsubscribe?token='))
    await expectHeading(page, /unsubscribe\?/i)
    await expectAccessible(page)
    await capture(page, '10-unsubscribe')
    expect((await subscriberByEmail(EMAIL)).status).toBe('active')

    await page.getByRole('button', { name: 'Unsubscribe' }).click()
    await expectHeading(page, /you're unsubscribed/i)
    await expectAccessible(page)
    await capture(page, '11-unsubscribed')
    const after = await subscriberByEmail(EMAIL)
    expect(after.status).toBe('unsubscribed')
    expect(after.interests).toEqual(['agent* AND benchmark*', 'diffusion'])

    await page.getByRole('link', { name: 'your preferences page' }).click()
    await expectHeading(page, /your preferences/i)
    await page.getByRole('button', { name: 'Resubscribe' }).waitFor()
    await capture(page, '12-preferences-unsubscribed')
  })

  it('subscribes, confirms and saves preferences with JavaScript turned off', async () => {
    const email = 'no-script@example.org'
    const noScript = await browser.newContext({
      javaScriptEnabled: false,
      timezoneId: ZONE,
      baseURL: baseUrl,
    })
    try {
      const tab = await noScript.newPage()
      await tab.goto('/')
      await expectHeading(tab, /research papers/i)
      // No script, so the server's default stays: the field is still there to edit by hand.
      expect(await tab.getByLabel('Time zone').inputValue()).toBe('UTC')
      await tab.getByLabel('Email address').fill(email)
      await tab.getByLabel('Robotics').check()
      await tab.getByLabel('Interests').fill('diffusion')
      expect(await tab.locator('#interest-preview').textContent()).toBe('')
      await tab.getByLabel('Time zone').fill(ZONE)
      await tab.getByRole('button', { name: 'Subscribe' }).click()
      await expectHeading(tab, /check your inbox/i)
      await capture(tab, '13-no-js-check-inbox')

      await tab.goto(linkIn(await nextMail(email, /confirm/i), '/confirm?token='))
      await tab.getByRole('button', { name: 'Confirm my subscription' }).click()
      await expectHeading(tab, /you're subscribed/i)
      await tab.getByRole('link', { name: 'Manage my preferences' }).click()
      await expectHeading(tab, /your preferences/i)
      await tab.getByLabel('Time', { exact: true }).selectOption('18')
      await tab.getByRole('button', { name: 'Save' }).click()
      await tab.getByRole('status').getByText(/saved/i).waitFor()
      await capture(tab, '14-no-js-preferences-saved')

      expect(await subscriberByEmail(email)).toMatchObject({
        status: 'active',
        topics: ['robotics'],
        interests: ['diffusion'],
        hour: 18,
        timezone: ZONE,
      })
    } finally {
      await noScript.close()
    }
  })
})

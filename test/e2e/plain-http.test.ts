import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { readFixture } from '../helpers/fixtures.js'
import { ingestMatched, runDigestsAndWait } from '../helpers/flows.js'
import { clearPrefix, eventually } from '../helpers/runtime.js'
import {
  CHROMIUM_PATH,
  capture,
  chromiumAvailable,
  INSTALL_HINT,
  launchChromium,
  startServedRuntime,
} from './helpers.js'

const available = chromiumAvailable()
const inCi = process.env.CI === 'true'
const skip = !available && !inCi
if (skip) console.warn(`Skipping the plain-HTTP browser tests: ${INSTALL_HINT}.`)

// A home server or a Docker host: reached by a name on the local network, over plain HTTP.
const LAN_HOST = 'paperboy.lan'
const ADMIN_TOKEN = 'admin-token-for-plain-http-tests-1'
const EMAIL = 'lan@example.org'
const ZONE = 'Europe/Paris'
const PHONE_WIDTH = 375

describe.skipIf(skip)(
  `served over plain HTTP as http://${LAN_HOST}:<port> (${CHROMIUM_PATH})`,
  () => {
    let database: TestDatabase
    let runtime: Runtime
    let baseUrl: string
    let browser: Browser
    let context: BrowserContext
    let page: Page
    /** Requests the browser could not complete, e.g. ones upgraded to an https that is not there. */
    const failed: string[] = []

    async function expectHeading(name: RegExp): Promise<void> {
      await page.getByRole('heading', { level: 1, name }).waitFor()
    }

    /** Nothing sticks out sideways: the page scrolls only vertically on a phone. */
    async function expectFitsPhoneWidth(): Promise<void> {
      await page.setViewportSize({ width: PHONE_WIDTH, height: 800 })
      // A string: the project compiles without the DOM's types.
      const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth')
      expect(scrollWidth, `page width of ${page.url()}`).toBeLessThanOrEqual(PHONE_WIDTH)
    }

    /** Opens the outbox (reloading until the email has been written) and then the email. */
    async function openInOutbox(subject: RegExp): Promise<void> {
      const link = page.getByRole('link', { name: subject })
      await eventually(`an email "${subject.source}" in the outbox`, async () => {
        await page.goto('/dev/outbox')
        return (await link.count()) > 0
      })
      await expectHeading(/dev outbox/i)
      await expectFitsPhoneWidth()
      await link.click()
    }

    beforeAll(async () => {
      if (!available) throw new Error(`CI=true: ${INSTALL_HINT}`)
      database = await createTestDatabase('plain_http')
      // No SMTP_URL: mail goes to the dev outbox, read in the browser like a newcomer would.
      ;({ runtime, baseUrl } = await startServedRuntime(
        { DATABASE_URL: database.url, ADMIN_TOKEN },
        { publicHost: LAN_HOST },
      ))
      browser = await launchChromium([`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`])
      context = await browser.newContext({ timezoneId: ZONE, baseURL: baseUrl })
      // A missing element fails with its locator, well inside the test's own time limit.
      context.setDefaultTimeout(10_000)
      page = await context.newPage()
      // Only Paperboy's own requests are judged: papers' thumbnails live on their source's host,
      // which this machine cannot reach.
      page.on('requestfailed', (request) => {
        if (new URL(request.url()).hostname !== LAN_HOST) return
        failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`)
      })
    })

    afterAll(async () => {
      await browser?.close()
      await runtime?.close()
      if (runtime) await clearPrefix(runtime.config.queuePrefix)
      await database?.drop()
    })

    it('loads the stylesheet and script over http and posts the subscribe form', async () => {
      expect(baseUrl.startsWith(`http://${LAN_HOST}:`)).toBe(true)
      await page.goto('/')
      await expectHeading(/research papers/i)
      // The stylesheet applied (the page background) and the script ran (it fills in the zone).
      expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe(
        'rgb(243, 244, 246)',
      )
      expect(await page.getByLabel('Time zone').inputValue()).toBe(ZONE)

      await page.getByLabel('Email address').fill(EMAIL)
      await page.getByLabel('Robotics').check()
      await page.getByLabel('Interests').fill('diffusion')
      await page.getByRole('button', { name: 'Subscribe' }).click()
      await expectHeading(/check your inbox/i)
      expect(new URL(page.url()).origin).toBe(baseUrl)
      expect(failed).toEqual([])
    })

    it("confirms from the dev outbox and shows a digest's List-Unsubscribe headers, fitting a phone", async () => {
      await openInOutbox(/^Confirm your/)
      await expectHeading(/^Confirm your/)
      await expectFitsPhoneWidth()
      await page.getByRole('link', { name: /\/confirm\?token=/ }).click()
      // The link opens a page with one button; pressing it confirms.
      await page.getByRole('button', { name: 'Confirm my subscription' }).click()
      await expectHeading(/you're subscribed/i)

      const report = await ingestMatched(
        runtime,
        ADMIN_TOKEN,
        readFixture('hf-daily-papers-2026-06-12.json'),
      )
      expect(report.new).toBe(30)
      expect(await runDigestsAndWait(runtime, () => new Date(), { now: true })).toHaveLength(1)

      await openInOutbox(/new papers? on/)
      await expectHeading(/new papers? on/)
      const header = (name: string) => page.locator(`dt:text-is("${name}") + dd`).textContent()
      expect(await header('List-Unsubscribe')).toMatch(
        new RegExp(`^<${baseUrl}/unsubscribe\\?token=[^>]+>$`),
      )
      expect(await header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
      await page
        .frameLocator('iframe.outbox-html')
        .getByRole('heading', { name: /new papers for you/ })
        .waitFor()
      await expectFitsPhoneWidth()
      await capture(page, '20-dev-outbox-digest')
      expect(failed).toEqual([])
    })
  },
)

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Runtime } from '../../services/runtime.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { digestEmails, runDigestsAndWait, subscribeConfirmed } from '../helpers/flows.js'
import { clearPrefix } from '../helpers/runtime.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'
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
const skip = !available && process.env.CI !== 'true'
if (skip) console.warn(`Skipping the triage browser test: ${INSTALL_HINT}.`)

const ADMIN_TOKEN = 'admin-token-for-triage-browser-test'
const EMAIL = 'grace@example.org'

const PAPERS = {
  papers: [
    {
      id: '2607.30001',
      title: 'Diffusion transformers at scale',
      abstract: 'We scale diffusion transformers to billions of parameters.',
      authors: ['Jane Doe', 'Bob Roe'],
      upvotes: 12,
    },
    {
      id: '2607.30002',
      title: 'Diffusion for speech',
      abstract: 'Speech synthesis with diffusion models.',
      authors: ['Carol Poe'],
      upvotes: 8,
    },
  ],
}

describe.skipIf(skip)(`triage from the email in Chromium (${CHROMIUM_PATH})`, () => {
  let database: TestDatabase
  let smtp: TestSmtpServer
  let runtime: Runtime
  let baseUrl: string
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    if (!available) throw new Error(`CI=true: ${INSTALL_HINT}`)
    database = await createTestDatabase('e2e_triage')
    smtp = await startSmtpServer()
    ;({ runtime, baseUrl } = await startServedRuntime({
      DATABASE_URL: database.url,
      SMTP_URL: smtp.url,
      ADMIN_TOKEN,
    }))
    browser = await launchChromium()
    page = await (await browser.newContext({ baseURL: baseUrl })).newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await runtime?.close()
    if (runtime) await clearPrefix(runtime.config.queuePrefix)
    await smtp?.close()
    await database?.drop()
  })

  it('mutes an author from the digest email: the link opens a page, the button mutes', async () => {
    await subscribeConfirmed(runtime, smtp, EMAIL, { interests: ['diffusion'] })
    expect((await ingestOverHttp(runtime, baseUrl, ADMIN_TOKEN, JSON.stringify(PAPERS))).new).toBe(
      2,
    )
    await runDigestsAndWait(runtime, () => new Date(), { now: true, email: EMAIL })
    const html = digestEmails(smtp, EMAIL).at(-1)?.parsed.html
    if (typeof html !== 'string') throw new Error('the digest has no HTML part')
    await page.setContent(html, { waitUntil: 'load' })

    const links = page.getByRole('link', { name: 'Mute this author' })
    expect(await links.count()).toBe(2)
    // The first paper is the most upvoted: Jane Doe's.
    await links.first().click()
    await page.waitForURL(/\/triage\/author\?p=2607\.30001&token=/)
    await page.getByRole('heading', { level: 1, name: 'Mute an author' }).waitFor()
    await expectAccessible(page)
    await capture(page, '20-triage-mute-author')
    expect(await page.getByLabel('Jane Doe').isChecked()).toBe(true)

    await page.getByLabel('Bob Roe').check()
    await page.getByRole('button', { name: 'Mute this author' }).click()
    await page.getByRole('heading', { level: 1, name: 'Muted' }).waitFor()
    expect(await page.locator('main').textContent()).toContain('NOT author:"Bob Roe"')
    await capture(page, '21-triage-muted')

    await page.getByRole('link', { name: 'See and change it in my preferences' }).click()
    await page.getByRole('heading', { level: 1, name: 'Your preferences' }).waitFor()
    expect(await page.getByLabel('Muted').inputValue()).toBe('NOT author:"Bob Roe"')
  })
})

import { existsSync } from 'node:fs'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { expect } from 'vitest'
import { loadConfig } from '../../services/config.js'
import { type Runtime, startRuntime } from '../../services/runtime.js'
import { matchingFinished } from '../helpers/flows.js'
import { TEST_REDIS, TEST_SECRET, uniquePrefix } from '../helpers/runtime.js'

/** Debian's Chromium: the browser the tests drive (never a Playwright-downloaded one). */
export const CHROMIUM_PATH = '/usr/bin/chromium'
export const INSTALL_HINT = `Chromium was not found at ${CHROMIUM_PATH}; install it with "apt-get install -y chromium" to run the browser tests`

/** Written by every run and ignored by git (see .gitignore). */
export const SCREENSHOTS_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url))

/** The two widths every page and email is looked at: a small phone and a small laptop. */
export const WIDTHS = [375, 1024] as const

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/** `extraArgs` adds flags, e.g. `--host-resolver-rules=MAP paperboy.lan 127.0.0.1`. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Playwright adds its own headless flag; these keep Debian's build from phoning home or
    // needing a sandbox and a GPU inside containers.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  })
}

/**
 * A port nobody is listening on right now. PUBLIC_URL has to name the real address before the
 * app starts (links in emails are built from it), so PORT=0 alone is not enough.
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned')
  return address.port
}

/**
 * The whole app (API, workers, scheduler) listening on real HTTP, for a real browser. It listens
 * on 127.0.0.1; `publicHost` is the name people use for it (PUBLIC_URL and the returned
 * baseUrl), which the browser must resolve to 127.0.0.1.
 */
export async function startServedRuntime(
  env: Record<string, string>,
  options: { publicHost?: string } = {},
): Promise<{
  runtime: Runtime
  baseUrl: string
}> {
  const port = await freePort()
  const baseUrl = `http://${options.publicHost ?? '127.0.0.1'}:${port}`
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    REDIS_URL: TEST_REDIS,
    APP_SECRET: TEST_SECRET,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'paperboy-e2e-')),
    QUEUE_PREFIX: uniquePrefix('e2e'),
    SUBSCRIBE_RATE_LIMIT: '1000',
    INGEST_CRON: 'off',
    LOG_LEVEL: 'silent',
    ...env,
  })
  const runtime = await startRuntime({
    config,
    role: 'all',
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    listen: true,
    mailRetry: { attempts: 3, backoffMs: 200 },
  })
  return { runtime, baseUrl }
}

/** POSTs a batch of papers as the admin and waits until the worker has matched all of them. */
export async function ingestOverHttp(
  runtime: Runtime,
  baseUrl: string,
  adminToken: string,
  body: string,
): Promise<{ new: number }> {
  const response = await fetch(`${baseUrl}/api/papers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body,
  })
  expect(response.status).toBe(200)
  const report = (await response.json()) as { new: number }
  await matchingFinished(runtime)
  return report
}

/** Full-page screenshots of what the page shows now, at each width; restores the last width. */
export async function capture(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true })
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 })
    // A throwaway viewport shot forces a frame at the new size first: a full-page shot taken
    // straight after shrinking the viewport sometimes left the lower part of the page blank.
    // (requestAnimationFrame would do too, but never fires in a tab with JavaScript off.)
    await page.screenshot()
    await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}-${width}.png`), fullPage: true })
  }
}

/**
 * Cheap accessibility checks a person with a screen reader relies on: one h1, and every form
 * control reachable by its label text (what `getByLabel` resolves is what assistive tech reads).
 */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await page.locator('h1').count(), `one h1 on ${page.url()}`).toBe(1)
  const controls = await page.locator('input:not([type="hidden"]), select, textarea').all()
  for (const control of controls) {
    const id = await control.getAttribute('id')
    expect(id, `a form control without an id on ${page.url()}`).toBeTruthy()
    const label = page.locator(`label[for="${id}"]`)
    expect(await label.count(), `label for #${id}`).toBe(1)
    const text = (await label.textContent())?.trim() ?? ''
    expect(text, `label text for #${id}`).not.toBe('')
    expect(
      await page.getByLabel(text, { exact: true }).and(control).count(),
      `#${id} found by its label "${text}"`,
    ).toBe(1)
  }
}

import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxDirOf } from '../../../services/build-services.js'
import type { Runtime } from '../../../services/runtime.js'
import { followConfirmLink, ingestMatched, runDigestsAndWait } from '../../helpers/flows.js'
import { decodeEntities, hrefContaining } from '../../helpers/html.js'
import { clearPrefix, linksIn, pathOf, startTestRuntime } from '../../helpers/runtime.js'

let runtime: Runtime
const ADMIN_TOKEN = 'admin-token-for-embedded-tests'

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

async function waitForOutbox(dir: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'))
    if (files.length >= count) return files.sort()
    if (Date.now() > deadline)
      throw new Error(`expected ${count} message(s) in ${dir}, found ${files.length}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

beforeAll(async () => {
  // No DATABASE_URL and no SMTP_URL: PGlite under DATA_DIR and the dev outbox, as on a fresh clone.
  runtime = await startTestRuntime({ env: { APP_SECRET: undefined, ADMIN_TOKEN } })
}, 120_000)

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
})

describe('embedded defaults (PGlite + dev outbox)', () => {
  it('runs the whole subscription flow with no database server and no SMTP server', async () => {
    expect(runtime.database.kind).toBe('pglite')
    expect(runtime.mailer?.kind).toBe('outbox')

    const subscribed = await app().inject({
      method: 'POST',
      url: '/subscribe',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload:
        'email=newcomer%40example.com&topics=llm-reasoning&interests=chain+of+thought&timezone=Europe%2FBerlin&hour=9',
    })
    expect(subscribed.statusCode).toBe(200)

    const dir = outboxDirOf(runtime.config)
    const [file] = await waitForOutbox(dir, 1)
    const mail = await simpleParser(await readFile(join(dir, file ?? '')))
    expect(mail.subject).toMatch(/confirm/i)

    const listing = await app().inject({ url: '/dev/outbox' })
    expect(listing.statusCode).toBe(200)
    expect(listing.body).toContain(file)
    const message = await app().inject({ url: `/dev/outbox/${file}` })
    expect(message.statusCode).toBe(200)
    expect(decodeEntities(message.body)).toContain('/confirm?token=')
    expect((await app().inject({ url: '/dev/outbox/..%2F..%2Fetc%2Fpasswd' })).statusCode).toBe(404)

    const confirmLink = linksIn(mail.text).find((l) => l.includes('/confirm?token='))
    const confirmed = await followConfirmLink(app(), confirmLink ?? '')
    expect(confirmed.statusCode).toBe(200)
    const preferencesLink = hrefContaining(confirmed.body, '/preferences?token=')
    expect(preferencesLink).toBeDefined()
    const preferences = await app().inject({ url: pathOf(preferencesLink ?? '') })
    expect(preferences.statusCode).toBe(200)
    expect(preferences.body).toContain('chain of thought')
  })

  it('matches and sends a digest on the embedded database too', async () => {
    await ingestMatched(
      runtime,
      ADMIN_TOKEN,
      JSON.stringify({
        papers: [
          {
            id: '2606.00010',
            title: 'Chain of thought without prompting',
            abstract: 'Reasoning paths hide in the decoding.',
          },
        ],
      }),
    )
    const dir = outboxDirOf(runtime.config)
    const before = (await waitForOutbox(dir, 1)).length
    const queued = await runDigestsAndWait(runtime, () => new Date(), {
      now: true,
      email: 'newcomer@example.com',
    })
    expect(queued).toHaveLength(1)
    const files = await waitForOutbox(dir, before + 1)
    const digest = await simpleParser(await readFile(join(dir, files.at(-1) ?? '')))
    expect(digest.subject).toMatch(/^1 new paper on chain of thought/)
    expect(digest.text).toContain('Chain of thought without prompting')
  })
})

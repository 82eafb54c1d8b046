import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEntities } from '../../helpers/html.js'
import {
  cleanEnv,
  freePort,
  killAll,
  runPaperboy,
  type Spawned,
  spawnPaperboy,
} from '../../helpers/processes.js'
import {
  clearPrefix,
  eventually,
  linksIn,
  TEST_REDIS,
  uniquePrefix,
} from '../../helpers/runtime.js'

// The README's offline walkthrough, step by step, as a newcomer runs it on a fresh clone:
// no DATABASE_URL, no SMTP_URL, no APP_SECRET; `npm start` in one terminal, `npx paperboy`
// in another.

let dataDir: string
let server: Spawned
let base: string
const prefix = uniquePrefix('walkthrough')
const email = 'newcomer@example.org'

function environment(): NodeJS.ProcessEnv {
  const env = cleanEnv({
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS,
    QUEUE_PREFIX: prefix,
    INGEST_CRON: 'off',
    PORT: new URL(base).port,
    LOG_LEVEL: 'warn',
  })
  // vitest's own; a newcomer's shell has none.
  delete env.NODE_ENV
  return env
}

async function outbox(): Promise<string[]> {
  const dir = join(dataDir, 'outbox')
  const files = await readdir(dir).catch(() => [] as string[])
  return files.filter((f) => f.endsWith('.eml')).sort()
}

const readMail = async (file: string) => simpleParser(await readFile(join(dataDir, 'outbox', file)))

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'paperboy-walkthrough-'))
  base = `http://localhost:${await freePort()}`
  server = spawnPaperboy(['serve'], environment())
  await eventually(
    'the server to answer',
    async () => {
      if (server.child.exitCode !== null) throw new Error(`serve exited:\n${server.stderr()}`)
      return (await fetch(`${base}/readyz`).catch(() => undefined))?.ok
    },
    60_000,
  )
}, 90_000)

afterAll(async () => {
  server?.child.kill('SIGTERM')
  expect(await server?.exited).toBe(0)
  await killAll()
  await clearPrefix(prefix)
  await rm(dataDir, { recursive: true, force: true })
})

describe('the README walkthrough on the embedded defaults', () => {
  it('subscribes, confirms from the outbox, ingests the sample and sends one digest', async () => {
    // 1. The form: Robotics ticked, `agent*` written.
    const subscribed = await fetch(`${base}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email,
        topics: 'robotics',
        interests: 'agent*',
        frequency: 'daily',
        hour: '8',
        timezone: 'Europe/Berlin',
      }),
    })
    expect(subscribed.status).toBe(200)
    expect(await subscribed.text()).toMatch(/check your inbox/i)

    // 2. The confirmation email in the outbox, and its link followed as a browser would.
    const [confirmation] = await eventually('the confirmation email', async () => {
      const files = await outbox()
      return files.length > 0 && files
    })
    const confirmLink = linksIn((await readMail(confirmation ?? '')).text).find((l) =>
      l.includes('/confirm?token='),
    )
    expect(confirmLink?.startsWith(`${base}/confirm?token=`)).toBe(true)
    let page = await fetch(confirmLink ?? '')
    let body = await page.text()
    const form = /<form[^>]*method="post"[^>]*action="([^"]*\/confirm[^"]*)"/i.exec(body)
    if (form?.[1]) {
      page = await fetch(new URL(decodeEntities(form[1]), base), { method: 'POST' })
      body = await page.text()
    }
    expect(page.status).toBe(200)
    expect(decodeEntities(body)).toContain('/preferences?token=')

    // 3. The bundled sample, matched before the command returns.
    const ingested = await runPaperboy(
      ['ingest', '--file', 'samples/arxiv-papers.json', '--wait'],
      environment(),
    )
    expect(ingested.err + ingested.out).not.toMatch(/error/i)
    expect(ingested.code).toBe(0)
    expect(ingested.out).toContain('14 new, 0 updated, 0 unchanged, 0 rejected')

    // 4. The digest, sent now rather than at the subscriber's hour.
    const before = (await outbox()).length
    const digest = await runPaperboy(['digest', 'run', '--now', '--wait'], environment())
    expect(digest.out, digest.err).toContain('1 digest(s) queued')
    expect(digest.out, digest.err).toContain('done: 1 sent, 0 failed')
    expect(digest.code).toBe(0)

    // 5. In the outbox: grouped papers, with the unsubscribe headers.
    const files = await outbox()
    expect(files).toHaveLength(before + 1)
    const raw = await readFile(join(dataDir, 'outbox', files.at(-1) ?? ''), 'utf8')
    const mail = await simpleParser(raw)
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(email)
    expect(mail.subject).toBe('8 new papers on Robotics and agent*')
    const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? ''
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    expect(head).toMatch(/^List-Unsubscribe: .*<http:\/\/localhost:\d+\/unsubscribe\?token=/m)
  }, 240_000)
})

import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listPapers } from '../../services/db/repositories/papers.js'
import { papers } from '../../services/db/schema/index.js'
import { analyzePaper, evaluate, parseInterest } from '../../services/domain/query/index.js'
import type { Runtime } from '../../services/runtime.js'
import { PreviewWindows } from '../../services/usecases/preview-window.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { readFixture } from '../helpers/fixtures.js'
import { clearPrefix, eventually, startTestRuntime } from '../helpers/runtime.js'
import { LINES } from '../unit/matching/lines.js'

// GET /api/preview answers from a window of recent papers analysed once: its answers must be
// those of evaluating the line on each of those papers, and it must see papers stored since.

const ADMIN_TOKEN = 'admin-token-for-interest-previews-1234'
const DAY = 24 * 3600 * 1000
let clock = new Date('2026-06-12T05:00:00Z')
let database: TestDatabase
let runtime: Runtime
let ip = 0

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

/** Each request from its own address: the test is not about the per-IP limits. */
const nextIp = () => `198.18.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`

async function ingest(body: string) {
  const response = await app().inject({
    method: 'POST',
    url: '/api/papers?deliver=false',
    payload: body,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
  })
  expect(response.statusCode).toBe(200)
  return response.json() as { new: number; updated: number }
}

async function preview(line: string, days = 7, remoteAddress = nextIp()) {
  return app().inject({
    url: `/api/preview?q=${encodeURIComponent(line)}&days=${days}`,
    remoteAddress,
  })
}

/** What evaluating the line on every paper of the last `days` days gives, newest first. */
async function evaluatedDirectly(line: string, days: number) {
  const parsed = parseInterest(line)
  if (!parsed.ok) throw new Error(`${line}: ${parsed.error.message}`)
  const recent = await listPapers(runtime.database.db, {
    since: new Date(clock.getTime() - days * DAY),
    limit: 100_000,
  })
  const matched = recent.flatMap((paper) => {
    const result = evaluate(parsed.query, analyzePaper(paper))
    return result.matched ? [{ paper, words: result.words }] : []
  })
  return {
    total: matched.length,
    papers: matched.slice(0, 20).map(({ paper, words }) => ({
      id: paper.id,
      title: paper.title,
      url: paper.url,
      words,
      firstSeenAt: paper.firstSeenAt.toISOString(),
    })),
  }
}

/** Holds an exclusive lock on the papers table until released (PGlite: its one connection). */
async function holdPapers(): Promise<{ release(): Promise<void> }> {
  let release = () => {}
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let taken = () => {}
  const lockTaken = new Promise<void>((resolve) => {
    taken = resolve
  })
  const holding = runtime.database.db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE papers IN ACCESS EXCLUSIVE MODE`)
    taken()
    await released
  })
  await lockTaken
  return {
    async release() {
      release()
      await holding
    },
  }
}

function paperJson(id: string, title: string, abstract: string) {
  return JSON.stringify({ papers: [{ id, title, abstract, authors: ['Ada Lovelace'] }] })
}

beforeAll(async () => {
  database = await createTestDatabase('interest_preview')
  runtime = await startTestRuntime({
    env: { ...database.env, ADMIN_TOKEN, INGEST_CRON: 'off' },
    now: () => clock,
  })
  // Three days of papers, one fixture a day: the oldest falls outside a 2-day preview.
  for (const fixture of [
    'arxiv-api-query-legacy-2016.atom.xml',
    'arxiv-api-query.atom.xml',
    'hf-daily-papers-2026-06-12.json',
  ]) {
    await ingest(readFixture(fixture))
    clock = new Date(clock.getTime() + DAY)
  }
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(runtime.config.queuePrefix)
  await database?.drop()
})

describe('GET /api/preview', () => {
  it('answers what evaluating the line on each recent paper answers', async () => {
    const lines = LINES.filter((line) => parseInterest(line).ok)
    expect(lines.length).toBeGreaterThan(50)
    let matchedSome = 0
    for (const line of lines) {
      for (const days of [7, 2]) {
        const response = await preview(line, days)
        expect(response.statusCode, line).toBe(200)
        const body = response.json()
        const expected = await evaluatedDirectly(line, days)
        expect({ total: body.total, papers: body.papers }, `${line}, ${days} days`).toEqual(
          expected,
        )
        expect(body.days).toBe(days)
        expect(body.perDay).toBe(Math.round((expected.total / days) * 10) / 10)
        if (expected.total > 0) matchedSome++
      }
    }
    // The comparison means something only if many lines match some papers.
    expect(matchedSome).toBeGreaterThan(30)
  })

  it('sees papers stored after its window was built, at the next preview', async () => {
    const line = '"quokka tessellation"'
    expect((await preview(line)).json().total).toBe(0)
    const stored = await ingest(
      paperJson('2606.99001', 'Quokka tessellation at scale', 'We tessellate quokkas.'),
    )
    expect(stored.new).toBe(1)
    const after = (await preview(line)).json()
    expect(after.total).toBe(1)
    expect(after.papers[0]).toMatchObject({
      id: '2606.99001',
      title: 'Quokka tessellation at scale',
      words: ['quokka tessellation'],
    })

    // A new version of the abstract replaces what the window had for the paper.
    const changed = await ingest(
      paperJson('2606.99001', 'Quokka tessellation at scale', 'Now about wombat packing.'),
    )
    expect(changed.updated).toBe(1)
    expect((await preview('wombat')).json().papers.map((p: { id: string }) => p.id)).toEqual([
      '2606.99001',
    ])
  })

  it('sees papers other processes stored once its time to live is over', async () => {
    const windows = new PreviewWindows(runtime.database.db, () => clock, { ttlMs: 0 })
    const before = (await windows.current()).size
    // As another process (a worker's scheduled ingestion) would: straight into the database.
    await runtime.database.db.insert(papers).values({
      id: '2606.99002',
      title: 'Platypus routing',
      abstract: 'Stored by another process.',
      firstSeenAt: clock,
      updatedAt: clock,
    })
    await eventually('the window to hold the new paper', async () => {
      const window = await windows.current()
      return window.size === before + 1
    })
  })

  it('runs one preview per client at a time: a second at once gets 429 with Retry-After', async () => {
    // Stored papers make the next preview load its window, and a lock on the papers holds that
    // load: the first preview is still running when the second arrives.
    await ingest(paperJson('2606.99003', 'Echidna sorting', 'Sorting echidnas.'))
    const lock = await holdPapers()
    const first = preview('echidna', 7, '203.0.113.50')
    const second = await preview('sorting', 7, '203.0.113.50')
    expect(second.statusCode).toBe(429)
    expect(second.headers['retry-after']).toBe('1')
    expect(second.json().error).toMatch(/one request at a time/)
    const otherClient = preview('sorting', 7, '203.0.113.51')
    await lock.release()
    expect((await first).statusCode).toBe(200)
    expect((await otherClient).json().total).toBe(1)
    expect((await preview('echidna', 7, '203.0.113.50')).statusCode).toBe(200)
  })

  it('refuses a bad line with where and why, and days outside 1 to 90', async () => {
    const bad = await preview('safety AND (reasoning')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatch(/parenthes.* at \d+/)
    expect((await preview('x', 91)).json().details.days).toMatch(/1 to 90/)
  })
})

import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { papers } from '../../services/db/schema/index.js'
import type { Runtime } from '../../services/runtime.js'
import { runCli, useCliEnvironment } from '../helpers/cli.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'
import { fixturePath, readFixture } from '../helpers/fixtures.js'
import { clearPrefix, eventually, startTestRuntime, uniquePrefix } from '../helpers/runtime.js'

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789'
let database: TestDatabase
let runtime: Runtime
let workDir: string
const prefix = uniquePrefix('ingest')

const app = () => {
  if (!runtime.app) throw new Error('runtime has no HTTP app')
  return runtime.app
}

const cli = runCli

async function stored(id: string) {
  const [row] = await runtime.database.db.select().from(papers).where(eq(papers.id, id))
  return row
}

beforeAll(async () => {
  database = await createTestDatabase('ingest')
  workDir = await mkdtemp(join(tmpdir(), 'paperboy-ingest-'))
  // What the CLI reads, as a shell that started the server would have it. On the embedded
  // database the CLI finds the running server and hands its work over; on PostgreSQL it
  // works on the database itself.
  const env = useCliEnvironment({ database, queuePrefix: prefix, dataDir: workDir })
  runtime = await startTestRuntime({ env: { ...env, ADMIN_TOKEN, INGEST_CRON: 'off' } })
})

afterAll(async () => {
  await runtime?.close()
  await clearPrefix(prefix)
  await database?.drop()
})

describe('paperboy ingest --file', () => {
  it.each([
    ['hf-daily-papers-2026-06-12.json', 'hf-daily', 30],
    ['arxiv-api-query.atom.xml', 'arxiv', 5],
    ['arxiv-api-query-legacy-2016.atom.xml', 'arxiv', 10],
    ['arxiv-rss-cs.AI.xml', 'arxiv-rss', 3],
    ['arxiv-rss-cs.LG.xml', 'arxiv-rss', 3],
    ['arxiv-rss-cs.CL.xml', 'arxiv-rss', 3],
  ])('stores %s, and a second run changes nothing', async (name, format, count) => {
    const first = await cli('ingest', '--file', fixturePath(name))
    expect(first.code).toBe(0)
    expect(first.out).toContain(`(${format}): `)
    const [, newCount] = first.out.match(/(\d+) new/) ?? []
    const [, updatedCount] = first.out.match(/(\d+) updated/) ?? []
    // RSS and the API can list a paper another fixture already brought in: then it is an update.
    expect(Number(newCount) + Number(updatedCount)).toBe(count)
    expect(first.out).toMatch(/0 rejected/)

    const second = await cli('ingest', '--file', fixturePath(name))
    expect(second.code).toBe(0)
    expect(second.out).toContain(`0 new, 0 updated, ${count} unchanged, 0 rejected`)
  })

  it('keeps what each source knows best when two sources describe the same paper', async () => {
    const hf = JSON.parse(readFixture('hf-daily-papers-2026-06-12.json')) as {
      paper: { id: string; upvotes: number }
    }[]
    const paper = hf[0]?.paper
    if (!paper) throw new Error('fixture has no papers')
    const before = await stored(paper.id)
    expect(before?.sources).toEqual(['hf-daily'])
    expect(before?.upvotes).toBe(paper.upvotes)

    const file = join(workDir, 'same-paper.json')
    await writeFile(
      file,
      JSON.stringify({
        papers: [
          {
            id: `${paper.id}v2`,
            title: before?.title,
            abstract: before?.abstract,
            categories: ['cs.LG', 'cs.AI'],
          },
        ],
      }),
    )
    const result = await cli('ingest', '--file', file)
    expect(result.out).toContain('0 new, 1 updated, 0 unchanged')
    const after = await stored(paper.id)
    expect(after?.sources).toEqual(['hf-daily', 'json'])
    expect(after?.categories).toEqual(['cs.LG', 'cs.AI'])
    expect(after?.upvotes).toBe(paper.upvotes)
    expect(after?.version).toBe(2)
    expect(after?.firstSeenAt).toEqual(before?.firstSeenAt)
  })

  it('counts changed upvotes and a new version as updates, and never lets an older version win', async () => {
    const hf = JSON.parse(readFixture('hf-daily-papers-2026-06-12.json')) as {
      paper: { id: string; upvotes: number }
    }[]
    const target = hf[1]?.paper
    if (!target) throw new Error('fixture has too few papers')
    target.upvotes += 100
    const bumped = join(workDir, 'bumped.json')
    await writeFile(bumped, JSON.stringify(hf))
    const result = await cli('ingest', '--file', bumped)
    expect(result.out).toContain('0 new, 1 updated, 29 unchanged, 0 rejected')
    expect((await stored(target.id))?.upvotes).toBe(target.upvotes)

    const versioned = (version: number, abstract: string) =>
      JSON.stringify({
        papers: [{ id: `2601.00001v${version}`, title: 'A versioned paper', abstract }],
      })
    const file = join(workDir, 'versions.json')
    await writeFile(file, versioned(1, 'First abstract.'))
    expect((await cli('ingest', '--file', file)).out).toContain('1 new, 0 updated')
    await writeFile(file, versioned(2, 'Second abstract, revised.'))
    expect((await cli('ingest', '--file', file)).out).toContain('0 new, 1 updated')
    expect((await stored('2601.00001'))?.abstract).toBe('Second abstract, revised.')
    await writeFile(file, versioned(1, 'First abstract.'))
    expect((await cli('ingest', '--file', file)).out).toContain('0 new, 0 updated, 1 unchanged')
    expect((await stored('2601.00001'))?.abstract).toBe('Second abstract, revised.')
  })

  it('stores the valid papers of a batch and reports each rejected one with its index and reason', async () => {
    const file = join(workDir, 'mixed.json')
    await writeFile(
      file,
      JSON.stringify({
        papers: [
          { id: '2602.00001', title: 'Good one', abstract: 'Fine.' },
          { id: '2602.00002', title: '', abstract: 'No title.' },
          { id: '2602.00003', title: 'Bad date', abstract: 'x', publishedAt: 'yesterday' },
          { id: '2602.00001', title: 'Duplicate', abstract: 'Again.' },
          { title: 'No id', abstract: 'x' },
          { id: '2602.00004', title: 'Huge', abstract: 'a'.repeat(1_000_000) },
        ],
      }),
    )
    const result = await cli('ingest', '--file', file)
    expect(result.code).toBe(0)
    expect(result.out).toContain('1 new, 0 updated, 0 unchanged, 5 rejected')
    expect(result.out).toMatch(/rejected #1 \(2602\.00002\): .*title/)
    expect(result.out).toMatch(/rejected #2 \(2602\.00003\): .*date/)
    expect(result.out).toMatch(/rejected #3 \(2602\.00001\): .*duplicate/)
    expect(result.out).toMatch(/rejected #4: .*id/)
    expect(result.out).toMatch(/rejected #5 \(2602\.00004\): .*abstract/)
    expect(await stored('2602.00001')).toBeDefined()
    expect(await stored('2602.00002')).toBeUndefined()
  })

  it('exits non-zero with one line when nothing could be read', async () => {
    const missing = await cli('ingest', '--file', join(workDir, 'nope.json'))
    expect(missing.code).toBe(1)
    expect(missing.err).toMatch(/^paperboy: cannot read .*nope\.json: no such file$/)
    const directory = await cli('ingest', '--file', workDir)
    expect(directory.code).toBe(1)
    expect(directory.err).toBe(`paperboy: cannot read ${workDir}: it is a directory, not a file`)

    const wrong = join(workDir, 'wrong.xml')
    await writeFile(wrong, '<html><body>not a feed</body></html>')
    const result = await cli('ingest', '--file', wrong)
    expect(result.code).toBe(1)
    expect(result.err.split('\n')).toHaveLength(1)

    const truncated = join(workDir, 'truncated.json')
    await writeFile(truncated, readFixture('hf-daily-papers-2026-06-12.json').slice(0, 5000))
    expect((await cli('ingest', '--file', truncated)).code).toBe(1)

    const allBad = join(workDir, 'all-bad.json')
    await writeFile(allBad, JSON.stringify({ papers: [{ title: 'no id', abstract: 'x' }] }))
    expect((await cli('ingest', '--file', allBad)).code).toBe(1)

    expect((await cli('ingest')).code).toBe(2)
    expect((await cli('ingest', '--source', 'twitter')).err).toMatch(/--source must be/)
    expect((await cli('ingest', '--source', 'hf-daily', '--date', '12/06/2026')).err).toMatch(
      /--date/,
    )
  })

  it('queues only new, deliverable papers for matching; --no-deliver stores without matching', async () => {
    const before = await runtime.queues.match.getJobs(['waiting', 'active', 'delayed', 'completed'])
    const file = join(workDir, 'backfill.json')
    await writeFile(
      file,
      JSON.stringify({ papers: [{ id: '2603.00001', title: 'Old', abstract: 'Backfilled.' }] }),
    )
    const backfill = await cli('ingest', '--file', file, '--no-deliver')
    expect(backfill.out).toContain('1 new')
    expect((await stored('2603.00001'))?.matchState).toBe('skipped')

    const fresh = join(workDir, 'fresh.json')
    await writeFile(
      fresh,
      JSON.stringify({ papers: [{ id: '2603.00002', title: 'New', abstract: 'Fresh.' }] }),
    )
    await cli('ingest', '--file', fresh)
    await eventually('the new paper matched', async () => {
      return (await stored('2603.00002'))?.matchState === 'matched'
    })
    expect((await stored('2603.00001'))?.matchState).toBe('skipped')
    const after = await runtime.queues.match.getJobs(['waiting', 'active', 'delayed', 'completed'])
    const added = after.filter((job) => !before.some((b) => b.id === job.id))
    expect(added.map((job) => job.data.paperIds)).toEqual([['2603.00002']])
  })
})

describe('POST /api/papers', () => {
  const body = JSON.stringify({
    papers: [{ id: '2604.00001', title: 'Posted', abstract: 'Via the API.' }],
  })

  it('refuses a request without the admin token, reading nothing', async () => {
    const none = await app().inject({
      method: 'POST',
      url: '/api/papers',
      payload: body,
      headers: { 'content-type': 'application/json' },
    })
    expect(none.statusCode).toBe(401)
    const wrong = await app().inject({
      method: 'POST',
      url: '/api/papers',
      payload: body,
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(await stored('2604.00001')).toBeUndefined()
  })

  it('ingests any supported format and answers the counts', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
    const first = await app().inject({ method: 'POST', url: '/api/papers', payload: body, headers })
    expect(first.statusCode).toBe(200)
    expect(first.json()).toEqual({ format: 'json', new: 1, updated: 0, unchanged: 0, rejected: [] })
    const again = await app().inject({ method: 'POST', url: '/api/papers', payload: body, headers })
    expect(again.json()).toMatchObject({ new: 0, unchanged: 1 })

    const rss = await app().inject({
      method: 'POST',
      url: '/api/papers',
      payload: readFixture('arxiv-rss-cs.CL.xml'),
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' },
    })
    expect(rss.statusCode).toBe(200)
    expect(rss.json().format).toBe('arxiv-rss')

    const garbage = await app().inject({
      method: 'POST',
      url: '/api/papers',
      payload: '{"papers": [',
      headers,
    })
    expect(garbage.statusCode).toBe(400)
    expect(garbage.json().error).toMatch(/JSON/)
  })

  it('GET /api/papers lists papers first stored since a time, newest first', async () => {
    const all = await app().inject({ url: '/api/papers?limit=1000' })
    expect(all.statusCode).toBe(200)
    const list = all.json().papers as { id: string; firstSeenAt: string }[]
    expect(list.length).toBeGreaterThan(50)
    const times = list.map((p) => Date.parse(p.firstSeenAt))
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(list.map((p) => p.id)).toContain('2604.00001')

    const since = list[2]?.firstSeenAt ?? ''
    const recent = (
      await app().inject({ url: `/api/papers?since=${encodeURIComponent(since)}` })
    ).json().papers as { firstSeenAt: string }[]
    expect(recent.every((p) => Date.parse(p.firstSeenAt) >= Date.parse(since))).toBe(true)
    expect((await app().inject({ url: '/api/papers?limit=2' })).json().papers).toHaveLength(2)
    expect((await app().inject({ url: '/api/papers?limit=0' })).statusCode).toBe(400)
    expect((await app().inject({ url: '/api/papers?limit=1001' })).statusCode).toBe(400)
    expect(
      (await app().inject({ url: '/api/papers?since=yesterday' })).json().details.since,
    ).toMatch(/ISO/)
  })
})

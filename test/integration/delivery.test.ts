import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { nextDigestContent } from '../../services/db/repositories/digest-content.js'
import {
  findSubscriber,
  unsubscribeSubscriber,
} from '../../services/db/repositories/subscribers.js'
import {
  digests,
  lineMatches,
  matches,
  papers,
  subscribers,
} from '../../services/db/schema/index.js'
import { nextSendTime } from '../../services/domain/schedule.js'
import type { Runtime } from '../../services/runtime.js'
import { queueDueDigests } from '../../services/usecases/queue-due-digests.js'
import { runDigests } from '../../services/usecases/run-digests.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import { ingestMatched, runDigestsAndWait, subscribeConfirmed } from '../helpers/flows.js'
import { hrefContaining } from '../helpers/html.js'
import { eventually, linksIn, pathOf } from '../helpers/runtime.js'

const ADMIN_TOKEN = 'admin-token-for-delivery-tests-123'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('delivery', { adminToken: ADMIN_TOKEN, now: () => clock })

const app = () => {
  if (!env.runtime.app) throw new Error('runtime has no HTTP app')
  return env.runtime.app
}
const db = () => env.runtime.database.db

const subscribe = (email: string, body: Record<string, unknown>) =>
  subscribeConfirmed(env.runtime, env.smtp, email, body)
const ingest = (body: string) => ingestMatched(env.runtime, ADMIN_TOKEN, body)

/** The papers the next digest holds for what the subscriber's lines matched (trending aside). */
const matched = async (subscriberId: number) =>
  (await nextDigestContent(db(), subscriberId, clock)).filter((row) =>
    row.reasons.some((r) => r.slug !== 'trending'),
  )

const runScheduled = () => runDigestsAndWait(env.runtime, () => clock, { now: false })

/** A header exactly as it arrived over SMTP, folded lines joined. */
function rawHeader(raw: Buffer | undefined, name: string): string {
  const head = String(raw ?? '').split(/\r?\n\r?\n/)[0] ?? ''
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ')
  const line = unfolded
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line ? line.slice(name.length + 1).trim() : ''
}

describe('matching and delivery', () => {
  let ada = 0
  let bob = 0

  it('gives a confirmed subscriber a next-send time at their local hour', async () => {
    ada = await subscribe('ada@example.org', {
      interests: ['diffusion', 'agent* AND benchmark'],
      topics: ['trending'],
      hour: 8,
      timezone: 'Europe/Paris',
    })
    bob = await subscribe('bob@example.org', {
      interests: ['"quantum chromodynamics"'],
      hour: 8,
      timezone: 'UTC',
    })
    const row = await findSubscriber(db(), ada)
    expect(row?.status).toBe('active')
    const [stored] = await db()
      .select({ next: subscribers.nextSendAt })
      .from(subscribers)
      .where(eq(subscribers.id, ada))
    expect(stored?.next?.toISOString()).toBe('2026-06-12T06:00:00.000Z')
    expect(
      nextSendTime(
        { frequency: 'daily', weekday: 'mon', hour: 8, timezone: 'Europe/Paris' },
        clock,
      ).toISOString(),
    ).toBe('2026-06-12T06:00:00.000Z')
  })

  it('matches new papers against every subscriber once, with the reasons', async () => {
    const report = await ingest(readFixture('hf-daily-papers-2026-06-12.json'))
    expect(report.new).toBe(30)
    // What `preview` shows: the next digest's papers, each once, with why.
    const rows = await matched(ada)
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.paper.id)).size).toBe(rows.length)
    for (const row of rows) {
      expect(row.reasons.length).toBeGreaterThan(0)
      expect(row.reasons.every((r) => r.kind === 'interest' && r.words.length > 0)).toBe(true)
    }
    const diffusion = rows.filter((r) => r.reasons.some((reason) => reason.line === 'diffusion'))
    expect(diffusion.length).toBeGreaterThan(0)
    // Stored once per line and paper, whoever has the line; nobody's digest has claimed them.
    const stored = await db().select().from(lineMatches).where(eq(lineMatches.line, 'diffusion'))
    expect(stored.map((m) => m.paperId).sort()).toEqual(diffusion.map((r) => r.paper.id).sort())
    expect(await matched(bob)).toEqual([])

    const again = await ingest(readFixture('hf-daily-papers-2026-06-12.json'))
    expect(again.new).toBe(0)
    expect(await matched(ada)).toHaveLength(rows.length)
  })

  it('previews what one interest line would match in the recent papers, with the parse error for a bad line', async () => {
    const preview = await app().inject({
      url: `/api/preview?q=${encodeURIComponent('diffusion')}&days=7`,
    })
    expect(preview.statusCode).toBe(200)
    const body = preview.json()
    const diffusionIds = (await matched(ada))
      .filter((m) => m.reasons.some((r) => r.line === 'diffusion'))
      .map((m) => m.paper.id)
    expect(body.total).toBe(diffusionIds.length)
    expect(body.perDay).toBeCloseTo(diffusionIds.length / 7, 1)
    expect(body.papers.map((p: { id: string }) => p.id).sort()).toEqual(
      diffusionIds.slice(0, 20).sort(),
    )
    expect(body.papers[0].words.length).toBeGreaterThan(0)

    const bad = await app().inject({
      url: `/api/preview?q=${encodeURIComponent('safety AND (reasoning')}`,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatch(/parenthes.* at \d+/)
    expect((await app().inject({ url: '/api/preview' })).statusCode).toBe(400)
    expect((await app().inject({ url: '/api/preview?q=x&days=0' })).statusCode).toBe(400)
  })

  it('sends nothing before the hour, then exactly one digest at it, with the headers and the papers', async () => {
    expect(await runScheduled()).toEqual([])
    const before = env.smtp.to('ada@example.org').length
    clock = new Date('2026-06-12T06:00:30Z')
    // The every-minute tick may get there first; either way exactly one digest is queued.
    expect((await runScheduled()).length).toBeLessThanOrEqual(1)
    await eventually('the digest email', async () => env.smtp.to('ada@example.org').length > before)
    const mail = env.smtp.to('ada@example.org').at(-1)
    expect(mail?.parsed.subject).toMatch(/^\d+ new papers? on /)
    const unsubscribeHeader = rawHeader(mail?.raw, 'List-Unsubscribe')
    expect(unsubscribeHeader).toMatch(/^<http:\/\/paperboy\.test\/unsubscribe\?token=[^>]+>$/)
    expect(rawHeader(mail?.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    expect(mail?.parsed.messageId).toMatch(/^<digest-\d+-\d+@localhost>$/)

    const claimed = await db().select().from(matches).where(eq(matches.subscriberId, ada))
    expect(claimed.every((m) => m.digestId !== null)).toBe(true)
    const trending = claimed.filter((m) => m.reasons.some((r) => r.slug === 'trending'))
    expect(trending.length).toBe(10)
    for (const m of claimed.slice(0, 3)) {
      const [paper] = await db().select().from(papers).where(eq(papers.id, m.paperId))
      expect(mail?.parsed.text).toContain(paper?.title.slice(0, 40))
    }
    expect(mail?.parsed.html).toContain('class="hl"')
    expect(Buffer.byteLength(String(mail?.parsed.html))).toBeLessThan(100_000)
    expect(
      env.smtp.to('bob@example.org').filter((m) => m.parsed.subject?.includes('new paper')),
    ).toEqual([])
  })

  it('sends nothing more for the same period, for re-ingestion, or for --now with nothing new', async () => {
    const count = env.smtp.received.length
    clock = new Date('2026-06-12T06:01:30Z')
    expect(await runScheduled()).toEqual([])
    await ingest(readFixture('hf-daily-papers-2026-06-12.json'))
    expect(
      await runDigests({ db: db(), queues: env.runtime.queues, now: () => clock }, { now: true }),
    ).toEqual([])
    // Re-queueing the same period by hand is refused by the digest row itself.
    const [sent] = await db().select().from(digests).where(eq(digests.subscriberId, ada))
    await env.runtime.queues.mail.add(
      'digest',
      { kind: 'digest', subscriberId: ada, period: sent?.period ?? '', extra: false },
      { jobId: 'manual-again' },
    )
    await eventually('the manual job', async () =>
      (await env.runtime.queues.mail.getJob('manual-again'))?.isCompleted(),
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(env.smtp.received.length).toBe(count)
    expect(
      await db()
        .select()
        .from(digests)
        .where(and(eq(digests.subscriberId, ada), eq(digests.status, 'sent'))),
    ).toHaveLength(1)
  })

  it('shows the sent digest in the browser to its owner only, and one-click unsubscribes', async () => {
    const mail = env.smtp.to('ada@example.org').at(-1)
    const webView = linksIn(mail?.parsed.text).find((l) => l.includes('/digests/'))
    expect(webView).toBeDefined()
    const page = await app().inject({ url: pathOf(webView ?? '') })
    expect(page.statusCode).toBe(200)
    expect(hrefContaining(page.body, '/preferences?token=')).toBeDefined()
    const otherDigest = pathOf(webView ?? '').replace(
      /\/digests\/(\d+)/,
      (_, n: string) => `/digests/${Number(n) + 1000}`,
    )
    expect((await app().inject({ url: otherDigest })).statusCode).toBe(404)

    const header = rawHeader(mail?.raw, 'List-Unsubscribe').slice(1, -1)
    const oneClick = await app().inject({
      method: 'POST',
      url: pathOf(header),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.statusCode).toBe(200)
    expect((await findSubscriber(db(), ada))?.status).toBe('unsubscribed')
    const [row] = await db()
      .select({ next: subscribers.nextSendAt })
      .from(subscribers)
      .where(eq(subscribers.id, ada))
    expect(row?.next).toBeNull()
  })

  it('sends nothing to a subscriber who left after the tick queued their digest', async () => {
    const cy = await subscribe('cy@example.org', { topics: ['trending'], hour: 8 })
    // Due now: the tick opens the period's digest row and queues the job, held back here.
    await db()
      .update(subscribers)
      .set({ nextSendAt: new Date(clock.getTime() - 60_000) })
      .where(eq(subscribers.id, cy))
    const held: Parameters<Runtime['queues']['mail']['addBulk']>[0] = []
    const holding = {
      mail: { addBulk: async (jobs: typeof held) => void held.push(...jobs) },
    } as unknown as Pick<Runtime['queues'], 'mail'> // only addBulk is used by the tick
    const { queued } = await queueDueDigests({ db: db(), queues: holding, now: () => clock })
    expect(queued.map((q) => q.subscriberId)).toContain(cy)
    const [opened] = await db().select().from(digests).where(eq(digests.subscriberId, cy))
    expect(opened?.status).toBe('pending')

    await unsubscribeSubscriber(db(), cy, 'unsubscribe page', clock)
    const mine = held.filter((j) => j.data.kind === 'digest' && j.data.subscriberId === cy)
    await env.runtime.queues.mail.addBulk(mine)
    await eventually('the held digest job', async () =>
      (await env.runtime.queues.mail.getJob(mine[0]?.opts?.jobId ?? ''))?.isCompleted(),
    )
    expect(
      env.smtp.to('cy@example.org').filter((m) => m.parsed.subject?.includes('new paper')),
    ).toEqual([])
    const attached = await db().select().from(matches).where(eq(matches.subscriberId, cy))
    expect(attached).toEqual([])
  })
})

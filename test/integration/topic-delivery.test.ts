import { and, eq, notInArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { nextDigestContent } from '../../services/db/repositories/digest-content.js'
import {
  confirmSubscriber,
  resubscribeSubscriber,
  unsubscribeSubscriber,
} from '../../services/db/repositories/subscribers.js'
import {
  lineMatches,
  matches,
  papers,
  topicInterests,
  topicMatches,
} from '../../services/db/schema/index.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { readFixture } from '../helpers/fixtures.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { topicMatchAt } from '../helpers/topic-matches.js'

// A topic's matches are stored once per (topic, paper), however many follow it; each
// follower's digest takes its share when it is claimed, merged with the follower's own
// matches of the same papers, and never twice.

const ADMIN_TOKEN = 'admin-token-for-topic-delivery-tests'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('topic_delivery', { adminToken: ADMIN_TOKEN, now: () => clock })

const db = () => env.runtime.database.db

const subscribe = (email: string, body: Record<string, unknown>) =>
  subscribeConfirmed(env.runtime, env.smtp, email, { hour: 8, ...body })
const ingest = (fixture: string) => ingestMatched(env.runtime, ADMIN_TOKEN, readFixture(fixture))

const digestNow = (email: string) =>
  runDigestsAndWait(env.runtime, () => clock, { now: true, email })

describe('topic matches', () => {
  let tess = 0
  let uma = 0

  it('are stored once per topic and paper, not once per follower', async () => {
    tess = await subscribe('tess@example.org', { topics: ['ai-safety'], interests: ['agent*'] })
    uma = await subscribe('uma@example.org', { topics: ['ai-safety'] })
    await ingest('hf-daily-papers-2026-06-12.json')

    const stored = await db()
      .select()
      .from(topicMatches)
      .where(eq(topicMatches.topicSlug, 'ai-safety'))
    expect(stored.length).toBeGreaterThan(1)
    expect(new Set(stored.map((s) => s.paperId)).size).toBe(stored.length)
    for (const row of stored) {
      expect(row.reasons.every((r) => r.kind === 'topic' && r.slug === 'ai-safety')).toBe(true)
    }
    // Nothing is copied to the followers until their digests claim it.
    expect(await db().select().from(matches).where(eq(matches.subscriberId, uma))).toEqual([])
  })

  it('reach each follower once, merged with their own matches of the same paper', async () => {
    const topical = await db()
      .select()
      .from(topicMatches)
      .where(eq(topicMatches.topicSlug, 'ai-safety'))
    const kindsOf = (reasons: readonly { kind: string }[]) => new Set(reasons.map((r) => r.kind))
    const both = (await nextDigestContent(db(), tess, clock))
      .filter((m) => kindsOf(m.reasons).size === 2)
      .map((m) => ({ paperId: m.paper.id }))
    // The fixture has papers about agents that the safety topic also matches.
    expect(both.length).toBeGreaterThan(0)

    expect(await digestNow('tess@example.org')).toHaveLength(1)
    expect(digestEmails(env.smtp, 'tess@example.org')).toHaveLength(1)
    const rows = await db().select().from(matches).where(eq(matches.subscriberId, tess))
    expect(rows.every((r) => r.digestId !== null)).toBe(true)
    expect(new Set(rows.map((r) => r.paperId)).size).toBe(rows.length)
    for (const t of topical) {
      const row = rows.find((r) => r.paperId === t.paperId)
      expect(row?.reasons.filter((r) => r.kind === 'topic')).toEqual(t.reasons)
    }
    for (const b of both) {
      const kinds = rows.find((r) => r.paperId === b.paperId)?.reasons.map((r) => r.kind)
      expect(kinds).toContain('interest')
      expect(kinds).toContain('topic')
    }
    const [first] = await db()
      .select()
      .from(papers)
      .where(eq(papers.id, topical[0]?.paperId ?? ''))
    expect(digestEmails(env.smtp, 'tess@example.org')[0]?.parsed.text).toContain(
      first?.title.slice(0, 30),
    )

    // The other follower still has them all: `preview` shows them, their digest carries them.
    const preview = await nextDigestContent(db(), uma, clock)
    expect(preview.map((p) => p.paper.id).sort()).toEqual(topical.map((t) => t.paperId).sort())
    expect(preview.every((p) => p.reasons.every((r) => r.slug === 'ai-safety'))).toBe(true)
    expect(await digestNow('uma@example.org')).toHaveLength(1)
    const umas = await db().select().from(matches).where(eq(matches.subscriberId, uma))
    expect(umas.map((r) => r.paperId).sort()).toEqual(topical.map((t) => t.paperId).sort())
  })

  it('are not sent again, and not to someone who subscribed after they were matched', async () => {
    expect(await digestNow('tess@example.org')).toEqual([])
    await ingest('hf-daily-papers-2026-06-12.json')
    expect(await digestNow('uma@example.org')).toEqual([])
    expect(digestEmails(env.smtp, 'tess@example.org')).toHaveLength(1)

    clock = new Date('2026-06-12T07:00:00Z')
    await subscribe('vic@example.org', { topics: ['ai-safety'] })
    expect(await digestNow('vic@example.org')).toEqual([])
    expect(digestEmails(env.smtp, 'vic@example.org')).toEqual([])
  })

  it('reach a digest however long after the last one they were matched', async () => {
    const paperId = await topicMatchAt(db(), new Date('2026-06-13T09:00:00Z'))
    clock = new Date('2026-06-25T06:00:00Z')
    expect(await digestNow('tess@example.org')).toHaveLength(1)
    const [row] = await db()
      .select()
      .from(matches)
      .where(and(eq(matches.subscriberId, tess), eq(matches.paperId, paperId)))
    expect(row?.digestId).not.toBeNull()
    expect(row?.reasons.map((r) => r.slug)).toEqual(['ai-safety'])
  })

  it('do not reach a follower for the time they were unsubscribed', async () => {
    await unsubscribeSubscriber(db(), uma, 'unsubscribe page', new Date('2026-06-26T06:00:00Z'))
    await topicMatchAt(db(), new Date('2026-06-27T06:00:00Z'))
    clock = new Date('2026-06-28T06:00:00Z')
    expect(await resubscribeSubscriber(db(), uma, clock)).toBe(true)
    expect(await confirmSubscriber(db(), uma, clock)).toBe('active')
    expect(await digestNow('uma@example.org')).toEqual([])
  })

  it('reach subscribers who joined after the index was built, and not those who left', async () => {
    const yuri = await subscribe('yuri@example.org', { interests: ['category:cs.*'] })
    await ingest('arxiv-api-query.atom.xml')
    const first = await nextDigestContent(db(), yuri, clock)
    expect(first.length).toBe(5)
    expect(first.every((m) => m.reasons[0]?.line === 'category:cs.*')).toBe(true)

    await unsubscribeSubscriber(db(), yuri, 'unsubscribe page', clock)
    // Nobody else has the line: once yuri left, the worker stops matching it when it next
    // builds its index, within the hour.
    clock = new Date(clock.getTime() + 61 * 60_000)
    await ingest('arxiv-rss-cs.AI.xml')
    const stored = await db()
      .select()
      .from(lineMatches)
      .where(eq(lineMatches.line, 'category:cs.*'))
    expect(stored.map((m) => m.paperId).sort()).toEqual(first.map((m) => m.paper.id).sort())
  })

  it('follow an operator’s edit of a topic’s lines from the next batch on', async () => {
    const before = await db()
      .select({ paperId: topicMatches.paperId })
      .from(topicMatches)
      .where(eq(topicMatches.topicSlug, 'ai-safety'))
    await db().delete(topicInterests).where(eq(topicInterests.topicSlug, 'ai-safety'))
    await db()
      .insert(topicInterests)
      .values({ topicSlug: 'ai-safety', position: 0, query: 'language' })
    await ingest('arxiv-rss-cs.CL.xml')

    const after = await db()
      .select()
      .from(topicMatches)
      .where(
        and(
          eq(topicMatches.topicSlug, 'ai-safety'),
          notInArray(
            topicMatches.paperId,
            before.map((b) => b.paperId),
          ),
        ),
      )
    expect(after.length).toBeGreaterThan(0)
    for (const row of after) expect(row.reasons.map((r) => r.line)).toEqual(['language'])
  })
})

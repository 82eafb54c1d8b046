import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { nextDigestContent } from '../../services/db/repositories/digest-content.js'
import {
  findSubscriberIdByEmail,
  updatePreferences,
} from '../../services/db/repositories/subscribers.js'
import { lineMatches, matches, topicMatches } from '../../services/db/schema/index.js'
import { DEFAULT_PREFERENCES } from '../../services/domain/preferences.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import {
  digestEmails,
  ingestMatched,
  runDigestsAndWait,
  subscribeConfirmed,
} from '../helpers/flows.js'
import { eventually } from '../helpers/runtime.js'

// An interest line's matches are stored once per (line, paper), however many subscribers
// wrote the line; each subscriber's digest takes them when it is claimed, from the lines the
// subscriber has then, and only those matched since the subscriber wrote the line.

const ADMIN_TOKEN = 'admin-token-for-line-delivery-tests'
let clock = new Date('2026-06-12T05:00:00Z')
const env = deliveryEnvironment('line_delivery', { adminToken: ADMIN_TOKEN, now: () => clock })

const db = () => env.runtime.database.db
const idOf = async (email: string) => (await findSubscriberIdByEmail(db(), email)) ?? 0
const later = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000)
}

const subscribe = (email: string, interests: string[]) =>
  subscribeConfirmed(env.runtime, env.smtp, email, { hour: 8, interests })
const ingest = (papers: { id: string; title: string; abstract: string }[]) =>
  ingestMatched(env.runtime, ADMIN_TOKEN, JSON.stringify({ papers }))
const digestNow = (email: string) =>
  runDigestsAndWait(env.runtime, () => clock, { now: true, email })

const REWIRING = {
  id: '2606.00001',
  title: 'Graph rewiring against oversquashing',
  abstract: 'We add edges where messages bottleneck.',
}
const SQUASHING = {
  id: '2606.00004',
  title: 'Oversquashing in message passing',
  abstract: 'Why long-range information gets lost.',
}
const SPARSE = {
  id: '2606.00002',
  title: 'Sparse attention at long context',
  abstract: 'Attention over a few chosen tokens.',
}
const EXPERTS = {
  id: '2606.00003',
  title: 'Routing in a mixture of experts',
  abstract: 'Which expert takes which token.',
}

describe('interest line matches', () => {
  it('are stored once per line and paper, and reach everyone who has the line, once', async () => {
    const ann = await subscribe('ann@example.org', ['graph rewiring'])
    const ben = await subscribe('ben@example.org', ['graph rewiring', 'oversquashing'])
    await ingest([REWIRING])
    const stored = await db().select().from(lineMatches)
    expect(stored.map((m) => [m.line, m.paperId, m.words]).sort()).toEqual([
      ['graph rewiring', REWIRING.id, ['graph rewiring']],
      ['oversquashing', REWIRING.id, ['oversquashing']],
    ])

    expect(await digestNow('ann@example.org')).toHaveLength(1)
    expect(await digestNow('ben@example.org')).toHaveLength(1)
    for (const email of ['ann@example.org', 'ben@example.org']) {
      expect(digestEmails(env.smtp, email)).toHaveLength(1)
      expect(digestEmails(env.smtp, email)[0]?.parsed.text).toContain(REWIRING.title)
    }
    const [bens] = await db().select().from(matches).where(eq(matches.subscriberId, ben))
    expect(bens?.reasons.map((r) => [r.kind, r.line])).toEqual([
      ['interest', 'graph rewiring'],
      ['interest', 'oversquashing'],
    ])
    expect(await db().select().from(matches).where(eq(matches.subscriberId, ann))).toHaveLength(1)

    // Nothing new: no second digest, and re-ingesting matches nothing again.
    await ingest([REWIRING])
    expect(await digestNow('ann@example.org')).toEqual([])
    expect(await db().select().from(lineMatches)).toHaveLength(2)
  })

  it('do not reach someone who wrote the line after the paper was matched', async () => {
    later(60)
    const cal = await subscribe('cal@example.org', ['graph rewiring'])
    expect(await nextDigestContent(db(), cal, clock)).toEqual([])
    expect(await digestNow('cal@example.org')).toEqual([])
    expect(digestEmails(env.smtp, 'cal@example.org')).toEqual([])

    // The same for a subscriber of long standing: ben's line matches a paper, then ann adds it.
    await ingest([SQUASHING])
    later(60)
    const ann = await idOf('ann@example.org')
    await updatePreferences(
      db(),
      ann,
      { ...DEFAULT_PREFERENCES, hour: 8, interests: ['graph rewiring', 'oversquashing'] },
      clock,
    )
    expect(await nextDigestContent(db(), ann, clock)).toEqual([])
    expect(
      (await nextDigestContent(db(), await idOf('ben@example.org'), clock)).map((p) => p.paper.id),
    ).toEqual([SQUASHING.id])
  })

  it('follow edits: a line kept keeps its undelivered papers, a line removed takes its own', async () => {
    later(60)
    const dan = await subscribe('dan@example.org', ['sparse attention', 'mixture of experts'])
    later(1)
    await ingest([SPARSE, EXPERTS])
    later(60)
    await updatePreferences(
      db(),
      dan,
      { ...DEFAULT_PREFERENCES, hour: 8, interests: ['state space models', 'sparse attention'] },
      clock,
    )
    const pending = await nextDigestContent(db(), dan, clock)
    expect(pending.map((p) => [p.paper.id, p.reasons.map((r) => r.line)])).toEqual([
      [SPARSE.id, ['sparse attention']],
    ])
    expect(await digestNow('dan@example.org')).toHaveLength(1)
    const [mail] = digestEmails(env.smtp, 'dan@example.org')
    expect(mail?.parsed.text).toContain(SPARSE.title)
    expect(mail?.parsed.text).not.toContain(EXPERTS.title)
  })

  it('are dropped once no digest has claimed them for 35 days, every day at 03:17 UTC', async () => {
    const schedulers = await env.runtime.queues.tick.getJobSchedulers()
    expect(schedulers.find((s) => s.key === 'prune-matches')?.pattern).toBe('17 3 * * *')
    const day = 86_400_000
    await db()
      .insert(lineMatches)
      .values([
        {
          line: 'old line',
          paperId: SPARSE.id,
          words: ['old'],
          matchedAt: new Date(clock.getTime() - 36 * day),
        },
        {
          line: 'recent line',
          paperId: SPARSE.id,
          words: ['recent'],
          matchedAt: new Date(clock.getTime() - 34 * day),
        },
      ])
    await db()
      .insert(topicMatches)
      .values({
        topicSlug: 'ai-safety',
        paperId: SPARSE.id,
        reasons: [],
        matchedAt: new Date(clock.getTime() - 36 * day),
      })
    const delivered = await db().select().from(matches)
    const job = await env.runtime.queues.tick.add('prune', {})
    await eventually(
      'the prune job',
      async () => (await job.isCompleted()) || (await job.isFailed()),
    )
    expect((await env.runtime.queues.tick.getJob(job.id ?? ''))?.returnvalue).toEqual({
      lines: 1,
      topics: 1,
    })
    const left = (await db().select().from(lineMatches)).map((m) => m.line)
    expect(left).toContain('recent line')
    expect(left).not.toContain('old line')
    expect(await db().select().from(topicMatches)).toEqual([])
    // What digests carried stays: their web view reads it.
    expect(await db().select().from(matches)).toEqual(delivered)
  })
})

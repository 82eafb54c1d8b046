import { asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { digests, subscribers } from '../../services/db/schema/index.js'
import { queueDueDigests } from '../../services/usecases/queue-due-digests.js'
import { deliveryEnvironment } from '../helpers/delivery-environment.js'
import { digestEmails, ingestMatched, subscribeConfirmed } from '../helpers/flows.js'
import { eventually } from '../helpers/runtime.js'

// The scheduler tick, run hour by hour through Thanksgiving week 2026: a subscriber "on
// announcement days" is due only after arXiv's announcements (Sunday to Thursday, 20:00 New
// York, not on its holidays); a daily one every day. With nothing new, nobody gets an email.

const ADMIN_TOKEN = 'admin-token-for-announcement-days'
let clock = new Date('2026-11-21T12:00:00Z') // a Saturday
const env = deliveryEnvironment('announcement_days', { adminToken: ADMIN_TOKEN, now: () => clock })
const db = () => env.runtime.database.db

/** Moves the clock on an hour at a time, up to `until`, running the tick at every step. */
async function tickUntil(until: string): Promise<void> {
  while (clock.getTime() + 3600_000 <= new Date(until).getTime()) {
    clock = new Date(clock.getTime() + 3600_000)
    await queueDueDigests({ db: db(), queues: env.runtime.queues, now: () => clock })
  }
}

async function digestsOf(id: number) {
  return db()
    .select({ period: digests.period, status: digests.status })
    .from(digests)
    .where(eq(digests.subscriberId, id))
    .orderBy(asc(digests.period))
}

/** The digests once every queued one has been worked on. */
async function settledDigestsOf(id: number) {
  return eventually(`the digests of subscriber ${id}`, async () => {
    const rows = await digestsOf(id)
    return rows.every((r) => r.status !== 'pending' && r.status !== 'sending') && rows
  })
}

describe('digests on announcement days', () => {
  let ann = 0
  let dee = 0

  it('are a choice of the JSON API, shown as such', async () => {
    ann = await subscribeConfirmed(env.runtime, env.smtp, 'ann@example.org', {
      frequency: 'announcements',
      hour: 9,
      timezone: 'Europe/Paris',
      interests: ['qubit*'],
    })
    dee = await subscribeConfirmed(env.runtime, env.smtp, 'dee@example.org', {
      frequency: 'daily',
      hour: 9,
      timezone: 'Europe/Paris',
      interests: ['qubit*'],
    })
    expect(env.smtp.to('ann@example.org')[0]?.parsed.text).toContain(
      'after each arXiv announcement, at 09:00 (Europe/Paris)',
    )
    const [row] = await db()
      .select({ frequency: subscribers.frequency, next: subscribers.nextSendAt })
      .from(subscribers)
      .where(eq(subscribers.id, ann))
    // Sunday's announcement (20:00 EST, 01:00 UTC Monday) is first; 09:00 in Paris is 08:00 UTC.
    expect(row).toEqual({ frequency: 'announcements', next: new Date('2026-11-23T08:00:00Z') })
  })

  it('are queued only after announcements, skipping Thanksgiving, and send nothing when nothing is new', async () => {
    await tickUntil('2026-11-29T12:00:00Z')
    expect(await settledDigestsOf(ann)).toEqual(
      ['2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'].map((date) => ({
        period: `arxiv-${date}`,
        status: 'empty',
      })),
    )
    // The daily subscriber was due every day, Sunday to Sunday, and had nothing new either.
    expect(await settledDigestsOf(dee)).toEqual(
      ['22', '23', '24', '25', '26', '27', '28', '29'].map((day) => ({
        period: `2026-11-${day}`,
        status: 'empty',
      })),
    )
    expect(digestEmails(env.smtp, 'ann@example.org')).toEqual([])
    expect(digestEmails(env.smtp, 'dee@example.org')).toEqual([])
  }, 60_000)

  it('bring what is new the morning after the next announcement', async () => {
    const body = JSON.stringify({
      papers: [
        {
          id: '2611.99001',
          title: 'Qubit routing on a Sunday',
          abstract: 'Qubits, routed.',
          authors: ['A. Author'],
          categories: ['quant-ph'],
        },
      ],
    })
    expect((await ingestMatched(env.runtime, ADMIN_TOKEN, body)).new).toBe(1)
    // Sunday 29 November is announced at 20:00 EST; Paris is at 09:00 on Monday.
    await tickUntil('2026-11-30T07:30:00Z')
    expect((await settledDigestsOf(ann)).map((d) => d.period)).not.toContain('arxiv-2026-11-29')
    await tickUntil('2026-11-30T08:30:00Z')
    expect((await settledDigestsOf(ann)).at(-1)).toEqual({
      period: 'arxiv-2026-11-29',
      status: 'sent',
    })
    const [email] = digestEmails(env.smtp, 'ann@example.org')
    expect(email?.parsed.text).toContain('Qubit routing on a Sunday')
  }, 60_000)
})

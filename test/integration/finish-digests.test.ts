import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import {
  createDigestFinisher,
  type FinishDigest,
} from '../../services/db/repositories/digest-delivery.js'
import { rowsOf } from '../../services/db/rows.js'
import { migratedTestDatabase } from '../helpers/database.js'

// A busy worker records many digests' outcomes at once, in shared statements: each must still
// land as if recorded alone, and one that cannot be recorded must not take the others with it.

const SENT_AT = new Date('2026-06-12T08:00:30Z')

const handle = migratedTestDatabase('finish_digests', async (db) => {
  await db.execute(sql`
    INSERT INTO subscribers (email, status)
    SELECT 'reader' || i || '@finish.example', 'active' FROM generate_series(1, 40) i`)
  await db.execute(sql`
    INSERT INTO digests (subscriber_id, period, status, error)
    SELECT id, '2026-06-12', 'sending', 'an earlier attempt timed out' FROM subscribers`)
})

/** As a worker records outcomes: one finisher for the process. */
let finisher: FinishDigest | undefined
const finishDigest: FinishDigest = (...args) => {
  finisher ??= createDigestFinisher(handle.db)
  return finisher(...args)
}

interface DigestState {
  id: string
  status: string
  subject: string | null
  message_id: string | null
  error: string | null
  sent_at: string | null
  last_digest_at: string | null
}

const digestRows = async (period = '2026-06-12') => {
  const result = await handle.db.execute(sql`
    SELECT g.id, g.status, g.subject, g.message_id, g.error, g.sent_at, s.last_digest_at,
      g.xmin::text AS written_by
    FROM digests g JOIN subscribers s ON s.id = g.subscriber_id
    WHERE g.period = ${period} ORDER BY g.id`)
  return rowsOf<DigestState & { written_by: string }>(result)
}

/** New digests being sent for a period, one for each of the first `count` subscribers. */
const sending = async (period: string, count: number) => {
  await handle.db.execute(sql`
    INSERT INTO digests (subscriber_id, period, status)
    SELECT id, ${period}, 'sending' FROM subscribers ORDER BY id LIMIT ${count}`)
  return (await digestRows(period)).map((r) => Number(r.id))
}

const sent = (id: number) => ({
  status: 'sent' as const,
  subject: `Papers for ${id}`,
  messageId: `<digest-${id}@finish.example>`,
})

describe('recording how digests ended', () => {
  it('records forty outcomes finished together, each as its own, and fails only the one PostgreSQL refuses', async () => {
    const ids = (await digestRows()).map((r) => Number(r.id))
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => {
        if (i === 7) {
          // PostgreSQL text cannot hold NUL: this outcome is refused.
          return finishDigest(id, { status: 'failed', error: 'bad\u0000reply' }, SENT_AT)
        }
        if (i % 10 === 3) {
          return finishDigest(id, { status: 'uncertain', error: 'interrupted' }, SENT_AT)
        }
        return finishDigest(
          id,
          {
            status: 'sent',
            subject: `Papers for ${id}`,
            messageId: `<digest-${id}@finish.example>`,
          },
          SENT_AT,
        )
      }),
    )
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1)
    expect(outcomes[7]?.status).toBe('rejected')

    const rows = await digestRows()
    rows.forEach((row, i) => {
      const id = Number(row.id)
      if (i === 7) {
        expect(row).toMatchObject({ status: 'sending', error: 'an earlier attempt timed out' })
        expect(row.last_digest_at).toBeNull()
      } else if (i % 10 === 3) {
        expect(row).toMatchObject({ status: 'uncertain', error: 'interrupted', sent_at: null })
        expect(row.last_digest_at).toBeNull()
      } else {
        expect(row).toMatchObject({
          status: 'sent',
          subject: `Papers for ${id}`,
          message_id: `<digest-${id}@finish.example>`,
          // A field the outcome does not give is left as it was.
          error: 'an earlier attempt timed out',
        })
        expect(new Date(row.sent_at ?? 0)).toEqual(SENT_AT)
        expect(new Date(row.last_digest_at ?? 0)).toEqual(SENT_AT)
      }
    })
  })

  it('records the outcomes of digests finished together in one transaction', async () => {
    const ids = await sending('together', 12)
    await Promise.all(ids.map((id) => finishDigest(id, sent(id), SENT_AT)))
    const rows = await digestRows('together')
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'sent'))
    expect(new Set(rows.map((r) => r.written_by)).size).toBe(1)
  })

  it("keeps a subscriber's latest send when two of their digests finish together", async () => {
    const [scheduled] = await sending('2026-06-13', 1)
    const [extra] = await sending('2026-06-13-now-1', 1)
    const later = new Date(SENT_AT.getTime() + 3_600_000)
    await Promise.all([
      finishDigest(extra as number, sent(extra as number), later),
      finishDigest(scheduled as number, sent(scheduled as number), SENT_AT),
    ])
    const [row] = await digestRows('2026-06-13')
    expect(new Date(row?.last_digest_at ?? 0)).toEqual(later)
  })

  it('writes two outcomes of one digest in order, and a known one wins over uncertain', async () => {
    const [first, second] = await sending('twice', 2)
    const a = first as number
    const b = second as number
    await Promise.all([
      // A stalled job's retry marks the digest uncertain; then the first attempt learns it was sent.
      finishDigest(a, { status: 'uncertain', error: 'interrupted' }, SENT_AT),
      finishDigest(a, sent(a), SENT_AT),
      // The other way round: sent is what happened, whatever the retry guesses after.
      finishDigest(b, sent(b), SENT_AT),
      finishDigest(b, { status: 'uncertain', error: 'interrupted' }, SENT_AT),
    ])
    const rows = await digestRows('twice')
    expect(rows.map((r) => [r.status, r.subject])).toEqual([
      ['sent', `Papers for ${a}`],
      ['sent', `Papers for ${b}`],
    ])
  })
})

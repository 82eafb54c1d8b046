import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { finishDigest } from '../../services/db/repositories/digests.js'
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

interface DigestState {
  id: string
  status: string
  subject: string | null
  message_id: string | null
  error: string | null
  sent_at: string | null
  last_digest_at: string | null
}

const digestRows = async () => {
  const result = await handle.db.execute(sql`
    SELECT g.id, g.status, g.subject, g.message_id, g.error, g.sent_at, s.last_digest_at
    FROM digests g JOIN subscribers s ON s.id = g.subscriber_id ORDER BY g.id`)
  return (result as unknown as { rows: DigestState[] }).rows
}

describe('recording how digests ended', () => {
  it('records forty outcomes finished together, each as its own, and fails only the one PostgreSQL refuses', async () => {
    const ids = (await digestRows()).map((r) => Number(r.id))
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => {
        if (i === 7) {
          // PostgreSQL text cannot hold NUL: this outcome is refused.
          return finishDigest(handle.db, id, { status: 'failed', error: 'bad\u0000reply' }, SENT_AT)
        }
        if (i % 10 === 3) {
          return finishDigest(handle.db, id, { status: 'uncertain', error: 'interrupted' }, SENT_AT)
        }
        return finishDigest(
          handle.db,
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
})

import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { streamActiveInterestLines } from '../../services/db/repositories/interest-stream.js'
import { migratedTestDatabase } from '../helpers/database.js'

// The worker builds its index from this stream: each distinct line of the active subscribers
// once, across batch ends.

const handle = migratedTestDatabase('interest_stream', async (db) => {
  // 12,000 subscribers, every third one inactive, ids ≡ 1 mod 4 with no lines. The others
  // write one of seven shared lines and two of their own: 12,007 distinct active lines, more
  // than one cursor batch.
  await db.execute(sql`
    INSERT INTO subscribers (email, status)
    SELECT 's' || i || '@stream.example',
      CASE WHEN i % 3 = 0 THEN 'unsubscribed'::subscriber_status ELSE 'active'::subscriber_status END
    FROM generate_series(1, 12000) i`)
  await db.execute(sql`
    INSERT INTO interests (subscriber_id, position, query)
    SELECT s.id, p, CASE WHEN p = 0 THEN 'shared ' || s.id % 7 ELSE 'line ' || p || ' of ' || s.id END
    FROM subscribers s CROSS JOIN generate_series(0, 2) p WHERE s.id % 4 <> 1`)
})

describe('streaming the active subscribers’ lines', () => {
  it('gives each distinct line of an active subscriber once, and no line of anyone else', async () => {
    const seen: string[] = []
    const count = await streamActiveInterestLines(handle.db, (line) => {
      seen.push(line)
    })
    const active = Array.from({ length: 12000 }, (_, i) => i + 1).filter(
      (id) => id % 3 !== 0 && id % 4 !== 1,
    )
    const expected = new Set([
      ...active.map((id) => `shared ${id % 7}`),
      ...active.flatMap((id) => [`line 1 of ${id}`, `line 2 of ${id}`]),
    ])
    expect(expected.size).toBe(12_007)
    expect(count).toBe(expected.size)
    expect(seen).toHaveLength(expected.size)
    expect(new Set(seen)).toEqual(expected)
    // Subscriber 3 has left: its own lines are gone, its shared one stays for the others.
    expect(seen).not.toContain('line 1 of 3')
    expect(seen.filter((line) => line === 'shared 3')).toHaveLength(1)
  })
})

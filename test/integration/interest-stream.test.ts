import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../services/db/client.js'
import { streamActiveSubscriberInterests } from '../../services/db/repositories/interest-stream.js'
import { topicLines } from '../../services/db/repositories/matching.js'
import { seedTopics } from '../../services/db/repositories/topics.js'
import type { InterestSource } from '../../services/domain/matching/index.js'
import { SEED_TOPICS } from '../../services/domain/seed-topics.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

// The worker builds its index from this stream: every active subscriber once, in id order,
// with their own lines in the order written and their topics' lines, across batch ends.

let database: TestDatabase
let handle: DatabaseHandle

beforeAll(async () => {
  database = await createTestDatabase('interest_stream')
  handle = await openDatabase({ databaseUrl: database.url, dataDir: '' })
  await handle.migrate()
  await seedTopics(handle.db, SEED_TOPICS)
  // 12,000 subscribers, more than two cursor batches: every third one inactive, ids ≡ 1 mod 4
  // with no lines of their own, ids ≡ 2 mod 4 following robotics and ai-safety.
  await handle.db.execute(sql`
    INSERT INTO subscribers (email, status)
    SELECT 's' || i || '@stream.example',
      CASE WHEN i % 3 = 0 THEN 'unsubscribed'::subscriber_status ELSE 'active'::subscriber_status END
    FROM generate_series(1, 12000) i`)
  await handle.db.execute(sql`
    INSERT INTO interests (subscriber_id, position, query)
    SELECT s.id, p, 'line ' || p || ' of ' || s.id
    FROM subscribers s CROSS JOIN generate_series(0, 2) p WHERE s.id % 4 <> 1`)
  await handle.db.execute(sql`
    INSERT INTO subscriber_topics (subscriber_id, topic_slug)
    SELECT s.id, t FROM subscribers s CROSS JOIN unnest(ARRAY['robotics', 'ai-safety']) t
    WHERE s.id % 4 = 2`)
})

afterAll(async () => {
  await handle?.close()
  await database?.drop()
})

describe('streaming active subscribers', () => {
  it('gives every active subscriber with lines once, in order, with all their lines', async () => {
    const topics = await topicLines(handle.db)
    const seen: [number, InterestSource[]][] = []
    const count = await streamActiveSubscriberInterests(handle.db, topics, (id, sources) => {
      seen.push([id, sources])
    })
    const expected = Array.from({ length: 12000 }, (_, i) => i + 1).filter(
      (id) => id % 3 !== 0 && id % 4 !== 1,
    )
    expect(count).toBe(expected.length)
    expect(seen.map(([id]) => id)).toEqual(expected)

    const [id, sources] = seen.find(([id]) => id === 10) ?? [0, []]
    expect(id).toBe(10)
    const own = sources.filter((s) => s.kind === 'interest').map((s) => s.line)
    expect(own).toEqual(['line 0 of 10', 'line 1 of 10', 'line 2 of 10'])
    const followed = sources.filter((s) => s.kind === 'topic')
    const robotics = topics.get('robotics') ?? []
    const safety = topics.get('ai-safety') ?? []
    expect(followed).toHaveLength(robotics.length + safety.length)
    expect(new Set(followed.map((s) => s.kind === 'topic' && s.slug))).toEqual(
      new Set(['robotics', 'ai-safety']),
    )
    expect(seen.find(([id]) => id === 11)?.[1].every((s) => s.kind === 'interest')).toBe(true)
  })
})

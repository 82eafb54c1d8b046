import type pg from 'pg'
import type { Database } from '../services/db/client.js'
import { streamActiveSubscriberInterests } from '../services/db/repositories/interest-stream.js'
import { topicLines } from '../services/db/repositories/matching.js'
import type { InterestSource } from '../services/domain/matching/index.js'
import { type InterestGenerator, TOPICS } from './interests.js'

// Subscribers in the bench database, in the application's own tables (its migrations made
// them, its seed topics fill `topics`), read back by the worker's own loader.

const BATCH = 20_000

export const INTERESTS_PER_SUBSCRIBER = 5

export interface Written {
  interests: number
  follows: number
  /** Lines the followed topics add up to, as if each were a subscriber's own. */
  topicLines: number
}

/** Generates `count` active subscribers (ids 1…count) into the database. */
export async function writeSubscribers(
  client: pg.Client,
  generator: InterestGenerator,
  count: number,
): Promise<Written> {
  const linesOf = new Map(TOPICS.map((t) => [t.slug, t.interests.length]))
  let interests = 0
  let follows = 0
  let topicLinesFollowed = 0
  let inFlight: Promise<unknown> = Promise.resolve()
  for (let first = 1; first <= count; first += BATCH) {
    const ids: number[] = []
    const owners: number[] = []
    const positions: number[] = []
    const lines: string[] = []
    const followers: number[] = []
    const slugs: string[] = []
    for (let id = first; id < Math.min(first + BATCH, count + 1); id++) {
      ids.push(id)
      generator.lines(INTERESTS_PER_SUBSCRIBER).forEach((line, position) => {
        owners.push(id)
        positions.push(position)
        lines.push(line)
      })
      for (const slug of generator.topics()) {
        followers.push(id)
        slugs.push(slug)
        topicLinesFollowed += linesOf.get(slug) ?? 0
      }
    }
    interests += lines.length
    follows += followers.length
    // The next batch is generated while this one is written; rows reference the subscribers.
    await inFlight
    await client.query(
      `INSERT INTO subscribers (id, email, status, confirmed_at) OVERRIDING SYSTEM VALUE
       SELECT i, 'reader' || i || '@bench.example', 'active', now() FROM unnest($1::bigint[]) i`,
      [ids],
    )
    inFlight = Promise.all([
      client.query(
        `INSERT INTO interests (subscriber_id, position, query)
         SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[])`,
        [owners, positions, lines],
      ),
      client.query(
        `INSERT INTO subscriber_topics (subscriber_id, topic_slug)
         SELECT * FROM unnest($1::bigint[], $2::text[])`,
        [followers, slugs],
      ),
    ])
  }
  await inFlight
  await client.query('ANALYZE subscribers; ANALYZE interests; ANALYZE subscriber_topics')
  return { interests, follows, topicLines: topicLinesFollowed }
}

/** The worker's index build: every active subscriber, streamed by the worker's own loader. */
export async function streamSubscribers(
  db: Database,
  onSubscriber: (subscriberId: number, sources: InterestSource[]) => void,
): Promise<{ subscribers: number }> {
  const subscribers = await streamActiveSubscriberInterests(db, await topicLines(db), onSubscriber)
  return { subscribers }
}
